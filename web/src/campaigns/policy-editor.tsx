/**
 * A campaign's cadence policy as a form: urgency and its spacing, the attempt limit (the line
 * in the sand), the voicemail policy including the experiment, when the break-up message
 * comes, the wait after a voicemail, and the calling windows. Every change goes to `onChange`,
 * so the words and the schedule preview follow as you type.
 */
import type { CadencePolicy } from '../../../src/core/cadence/policy.js';
import { WindowFields } from '../settings/window-fields.js';

type Urgency = 'high' | 'normal' | 'low';

const VOICEMAIL_CHOICES: { value: CadencePolicy['voicemail']; label: string; hint: string }[] = [
  { value: 'always', label: 'Always', hint: 'a message every time nobody answers' },
  { value: 'first_and_last', label: 'First and last', hint: 'the introduction and the break-up only' },
  { value: 'never', label: 'Never', hint: 'hang up at the beep' },
  {
    value: 'experiment',
    label: 'Experiment',
    hint: 'each contact is randomly (and reproducibly) assigned to get voicemails or none; Insights compares the two',
  },
];

function NumberField({
  id,
  label,
  value,
  min,
  max,
  onChange,
  hint,
}: {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (n: number) => void;
  hint?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        value={Number.isFinite(value) ? value : ''}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.valueAsNumber)}
      />
      {hint ? (
        <span id={`${id}-hint`} className="muted small">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** What is wrong with a draft before it is sent, or null. */
export function policyProblem(p: CadencePolicy): string | null {
  const whole = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;
  if (!whole(p.attemptLimit, 1, 50)) return 'The attempt limit must be a whole number from 1 to 50.';
  const wait = p.afterVoicemailBusinessDays;
  if (!(wait.min >= 0 && wait.max >= wait.min))
    return 'After a voicemail: the most days must not be fewer than the least.';
  for (const u of ['high', 'normal', 'low'] as const) {
    const r = p.spacingDays[u];
    if (!(r.min >= 0 && r.max >= r.min))
      return `Spacing for ${u} urgency: the most days must not be fewer than the least.`;
  }
  for (const w of [p.businessWindow, p.consumerWindow]) {
    if (w.start >= w.end) return 'A calling window must end after it starts.';
    if (w.days.length === 0) return 'A calling window needs at least one day.';
  }
  return null;
}

export function PolicyEditor({
  id,
  policy,
  urgency,
  onChange,
}: {
  id: string;
  policy: CadencePolicy;
  urgency: Urgency;
  onChange: (policy: CadencePolicy, urgency: Urgency) => void;
}) {
  const set = (changes: Partial<CadencePolicy>) => onChange({ ...policy, ...changes }, urgency);
  const spacing = policy.spacingDays[urgency];
  return (
    <div className="stack policy-editor">
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-urgency`}>Urgency</label>
          <select
            id={`${id}-urgency`}
            value={urgency}
            onChange={(e) => onChange(policy, e.target.value as Urgency)}
          >
            <option value="high">High</option>
            <option value="normal">Normal</option>
            <option value="low">Low</option>
          </select>
        </div>
        <NumberField
          id={`${id}-limit`}
          label="Attempt limit"
          value={policy.attemptLimit}
          min={1}
          max={50}
          hint="the line in the sand: 5, 7, 10 or 15"
          onChange={(n) => set({ attemptLimit: n })}
        />
        <div className="field">
          <label htmlFor={`${id}-breakup`}>Break-up message</label>
          <select
            id={`${id}-breakup`}
            value={policy.breakUpOn}
            onChange={(e) => set({ breakUpOn: e.target.value as CadencePolicy['breakUpOn'] })}
          >
            <option value="last">On the last try</option>
            <option value="before_last">From the try before the last</option>
          </select>
        </div>
      </div>
      <fieldset>
        <legend>Voicemail</legend>
        {VOICEMAIL_CHOICES.map((c) => (
          <label key={c.value} className="choice">
            <input
              type="radio"
              name={`${id}-voicemail`}
              value={c.value}
              checked={policy.voicemail === c.value}
              onChange={() => set({ voicemail: c.value })}
            />{' '}
            <strong>{c.label}</strong> <span className="muted small">— {c.hint}</span>
          </label>
        ))}
      </fieldset>
      <div className="field-row">
        <NumberField
          id={`${id}-vm-min`}
          label="After a voicemail: at least (business days)"
          value={policy.afterVoicemailBusinessDays.min}
          min={0}
          max={30}
          onChange={(n) =>
            set({ afterVoicemailBusinessDays: { ...policy.afterVoicemailBusinessDays, min: n } })
          }
        />
        <NumberField
          id={`${id}-vm-max`}
          label="at most"
          value={policy.afterVoicemailBusinessDays.max}
          min={0}
          max={30}
          onChange={(n) =>
            set({ afterVoicemailBusinessDays: { ...policy.afterVoicemailBusinessDays, max: n } })
          }
        />
      </div>
      <div className="field-row">
        <NumberField
          id={`${id}-space-min`}
          label={`Later calls (${urgency} urgency): every at least (days)`}
          value={spacing.min}
          min={0}
          max={60}
          onChange={(n) => set({ spacingDays: { ...policy.spacingDays, [urgency]: { ...spacing, min: n } } })}
        />
        <NumberField
          id={`${id}-space-max`}
          label="at most"
          value={spacing.max}
          min={0}
          max={60}
          onChange={(n) => set({ spacingDays: { ...policy.spacingDays, [urgency]: { ...spacing, max: n } } })}
        />
      </div>
      <WindowFields
        id={`${id}-business`}
        legend="Business contacts are called (their time)"
        value={policy.businessWindow}
        onChange={(w) => set({ businessWindow: w })}
      />
      <WindowFields
        id={`${id}-consumer`}
        legend="Consumers are called (their time)"
        value={policy.consumerWindow}
        onChange={(w) => set({ consumerWindow: w })}
      />
    </div>
  );
}

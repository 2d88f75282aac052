/**
 * Import contacts: choose a CSV or vCard file and a campaign, check it first (a dry run shows
 * what would be created and every row that would be rejected, and the columns not
 * recognised), then import with upload progress and read the per-row error report. An import
 * can be undone as a whole from its result, while nothing newer touched its contacts.
 */
import { type FormEvent, useState } from 'react';
import { csrfToken, describeError, post } from '../api/client.js';
import type { ImportSummary, ImportUndo } from '../api/types.js';

/** XMLHttpRequest, not fetch: it reports upload progress. */
function upload(form: FormData, onProgress: (fraction: number) => void): Promise<ImportSummary> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/imports');
    xhr.setRequestHeader('accept', 'application/json');
    const csrf = csrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new Error('The server cannot be reached. Check your connection.'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: described below
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as ImportSummary);
      else {
        const problem = body as { detail?: string; errors?: { path: string; message: string }[] } | null;
        const fields = problem?.errors?.map((e) => `${e.path}: ${e.message}`) ?? [];
        reject(new Error([problem?.detail ?? `failed (${xhr.status})`, ...fields].join(' — ')));
      }
    };
    xhr.send(form);
  });
}

function Summary({ summary }: { summary: ImportSummary }) {
  return (
    <section className="card stack" aria-labelledby="import-result">
      <h2 id="import-result">
        {summary.dryRun ? 'Check of' : 'Imported'} {summary.file}
      </h2>
      <p>
        {summary.read} rows read: {summary.created} {summary.dryRun ? 'would be created' : 'created'},{' '}
        {summary.updated} updated, {summary.unchanged} unchanged, {summary.rejected} rejected.
        <span className="muted small">
          {' '}
          ({summary.format.toUpperCase()}, {summary.encoding})
        </span>
      </p>
      {summary.ignoredColumns.length > 0 ? (
        <p>
          <strong>Columns not recognised (ignored):</strong> {summary.ignoredColumns.join(', ')}. Name them
          with a mapping such as <code>Cell=phone:mobile</code>.
        </p>
      ) : (
        <p className="ok">✓ Every column was recognised.</p>
      )}
      {summary.errors.length > 0 ? (
        <table className="table">
          <caption>Rejected rows</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Column</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {summary.errors.map((e) => (
              <tr key={`${e.row}-${e.field}-${e.message}`}>
                <td>{e.row}</td>
                <td>{e.field || '—'}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {summary.errorsOmitted > 0 ? <p className="muted">… and {summary.errorsOmitted} more.</p> : null}
      {!summary.dryRun && summary.importRunId !== null && summary.created + summary.updated > 0 ? (
        <Undo importRunId={summary.importRunId} />
      ) : null}
    </section>
  );
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Undo the whole import: removes what it created and puts back what it changed. */
function Undo({ importRunId }: { importRunId: number }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ImportUndo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const undo = async () => {
    setBusy(true);
    setError(null);
    try {
      setDone(await post<ImportUndo>(`/api/v1/imports/${importRunId}/undo`));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  if (done) {
    return (
      <p className="ok" role="status">
        ✓ Import undone: {plural(done.removed, 'contact', 'contacts')} it created removed,{' '}
        {plural(done.restored, 'contact', 'contacts')} put back as before.
      </p>
    );
  }
  return (
    <div className="stack">
      <div className="field-row">
        <button type="button" disabled={busy} onClick={() => void undo()}>
          Undo this import
        </button>
        <span className="muted small">
          Removes the contacts it created and puts back what it changed, while nobody has worked on them
          since.
        </span>
      </div>
      {error ? (
        <p className="error-text" role="alert">
          ⚠ {error}
        </p>
      ) : null}
    </div>
  );
}

export default function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [campaign, setCampaign] = useState('');
  const [map, setMap] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    const form = new FormData();
    if (campaign.trim()) form.append('campaign', campaign.trim());
    if (map.trim()) form.append('map', map.trim());
    if (dryRun) form.append('dryRun', 'true');
    form.append('file', file);
    setError(null);
    setSummary(null);
    setProgress(0);
    try {
      setSummary(await upload(form, setProgress));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setProgress(null);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(false);
  };

  return (
    <div className="stack narrow-wide">
      <h1>Import contacts</h1>
      <form className="card stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor="import-file">CSV or vCard file</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,.txt,.tsv,.vcf,text/csv,text/vcard"
            required
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <div className="field">
          <label htmlFor="import-campaign">Campaign to enroll them in</label>
          <input
            id="import-campaign"
            value={campaign}
            placeholder="Created if new; leave empty to import only"
            onChange={(e) => setCampaign(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="import-map">Column mapping (optional)</label>
          <input
            id="import-map"
            value={map}
            placeholder="Cell=phone:mobile,Org=company,Junk=ignore"
            onChange={(e) => setMap(e.target.value)}
          />
        </div>
        <div className="field-row">
          <button type="button" disabled={!file || progress !== null} onClick={() => void run(true)}>
            Check first
          </button>
          <button type="submit" className="primary" disabled={!file || progress !== null}>
            Import
          </button>
        </div>
        {progress !== null ? (
          <p role="status">
            <label htmlFor="import-progress">Uploading and importing… </label>
            <progress id="import-progress" max={1} value={progress} /> {Math.round(progress * 100)} %
          </p>
        ) : null}
        {error ? (
          <p className="error-text" role="alert">
            ⚠ {error}
          </p>
        ) : null}
      </form>
      {summary ? <Summary summary={summary} /> : null}
    </div>
  );
}

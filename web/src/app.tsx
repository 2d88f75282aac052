/**
 * The shell: who is signed in, the navigation, and which page the path shows. Pages other than
 * the call block load on first visit, to keep the first download small.
 */
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useState } from 'react';
import { post, rememberCsrf, whenSignedOut } from './api/client.js';
import type { User } from './api/types.js';
import { BlockPage } from './block/block-page.js';
import { SignInPage } from './pages/sign-in.js';
import { AppointmentReminders } from './reminders.js';
import { Link, match, navigate, usePath } from './router.js';
import { loadSession, SessionContext } from './session.js';
import { Toasts } from './toasts.js';

const TodayPage = lazy(() => import('./pages/today.js'));
const ContactsPage = lazy(() => import('./pages/contacts.js'));
const ContactPage = lazy(() => import('./pages/contact.js'));
const CampaignsPage = lazy(() => import('./pages/campaigns.js'));
const ImportPage = lazy(() => import('./pages/import.js'));
const SettingsPage = lazy(() => import('./pages/settings.js'));
const InsightsPage = lazy(() => import('./insights/insights-page.js'));

const NAV: { href: string; label: string }[] = [
  { href: '/block', label: 'Call block' },
  { href: '/today', label: 'Today' },
  { href: '/contacts', label: 'Contacts' },
  { href: '/campaigns', label: 'Campaigns' },
  { href: '/import', label: 'Import' },
  { href: '/insights', label: 'Insights' },
  { href: '/settings', label: 'Settings' },
];

function page(path: string): ReactNode {
  if (path === '/' || path === '/block') return <BlockPage />;
  if (path === '/today') return <TodayPage />;
  if (path === '/contacts') return <ContactsPage />;
  const contact = match('/contacts/:id', path);
  if (contact) return <ContactPage id={Number(contact.id)} />;
  if (path === '/campaigns') return <CampaignsPage />;
  if (path === '/import') return <ImportPage />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/insights') return <InsightsPage />;
  return (
    <div className="narrow">
      <h1>Not found</h1>
      <p>
        There is no page at {path}. <Link href="/block">Go to your call block</Link>.
      </p>
    </div>
  );
}

type State = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; user: User };

export function App() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const path = usePath();

  useEffect(() => {
    whenSignedOut(() => setState({ status: 'signed-out' }));
    loadSession().then(
      (user) => setState({ status: 'signed-in', user }),
      () => setState({ status: 'signed-out' }),
    );
    return () => whenSignedOut(null);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await post('/api/v1/auth/sign-out');
    } finally {
      rememberCsrf(null);
      setState({ status: 'signed-out' });
      navigate('/', { replace: true });
    }
  }, []);

  if (state.status === 'loading') return <p className="loading">Loading…</p>;
  if (state.status === 'signed-out') {
    return <SignInPage onSignedIn={(user) => setState({ status: 'signed-in', user })} />;
  }
  const section = path === '/' ? '/block' : `/${path.split('/')[1]}`;
  return (
    <SessionContext.Provider
      value={{ user: state.user, signOut, updateUser: (user) => setState({ status: 'signed-in', user }) }}
    >
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">◉ Ringback</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={section === n.href ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span className="muted small">{state.user.name || state.user.email}</span>
          <button type="button" className="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>{page(path)}</Suspense>
      </main>
      <Toasts />
      <AppointmentReminders />
    </SessionContext.Provider>
  );
}

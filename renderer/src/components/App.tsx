import { useAppStore } from '../store-context';
import { NoticeBar } from './NoticeBar';
import { StartScreen } from './StartScreen';
import { Wizard } from './Wizard';

export function App(): React.JSX.Element {
  const screen = useAppStore((s) => s.screen);
  return (
    <div className="app">
      <header className="app-bar">
        <span className="brand">
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
            <path
              d="M3 12h3l2.5-6 4 12 3-8 1.5 2H21"
              fill="none"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          Stream Doctor
        </span>
      </header>
      {/* The page scrolls inside <main>; notices get their own row below it, so they can never cover a control. */}
      <main className="app-main">
        <div className="content">{screen === 'start' ? <StartScreen /> : <Wizard />}</div>
      </main>
      <NoticeBar />
    </div>
  );
}

// "Test Stream Doctor on this computer": the probes against the app's own servers on 127.0.0.1. Proves the
// tool works here, or says that security software blocks loopback connections.
import { useAppStore } from '../store-context';

export function SelfTestPanel(): React.JSX.Element {
  const selfTest = useAppStore((s) => s.selfTest);
  const run = useAppStore((s) => s.runSelfTest);
  const result = selfTest.result;
  return (
    <div className="self-test">
      <button type="button" className="button" disabled={selfTest.running} onClick={() => void run()}>
        {selfTest.running ? 'Testing…' : 'Test Stream Doctor on this computer'}
      </button>
      <p className="hint">
        Runs every probe against Stream Doctor’s own test servers; nothing leaves this computer.
      </p>
      {result && (
        <div
          className={`self-test-result ${result.passed ? 'self-test-passed' : 'self-test-failed'}`}
          role="status"
        >
          <p>
            <strong>{result.passed ? 'Self-test passed.' : 'Self-test failed.'}</strong> {result.summary}
          </p>
          <ul>
            {result.steps.map((step) => (
              <li key={step.protocol}>
                {step.passed ? 'Pass' : 'Fail'} — {step.title}: {step.summary}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

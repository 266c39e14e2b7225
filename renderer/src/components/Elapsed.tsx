// A running check's timer, or how long a finished one took.
import { useEffect, useState } from 'react';
import { formatSeconds } from '../words';

export function Elapsed({
  startedAt,
  finishedAt,
  running,
}: {
  startedAt: number | null;
  finishedAt: number | null;
  running: boolean;
}): React.JSX.Element | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, [running]);
  if (startedAt === null) return null;
  const end = running ? now : (finishedAt ?? now);
  return <span className="elapsed">{formatSeconds(Math.max(0, end - startedAt))}</span>;
}

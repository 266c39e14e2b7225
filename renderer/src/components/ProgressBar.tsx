// The run's progress: the bar's fill comes from the run state (it never moves back), the words from the counts.
export function ProgressBar(props: {
  fraction: number;
  done: number;
  total: number;
  label: string;
  stopped?: boolean;
}): React.JSX.Element {
  const { fraction, done, total, label, stopped = false } = props;
  const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${done} of ${total} checks done`}
    >
      <div
        className={stopped ? 'progress-fill progress-stopped' : 'progress-fill'}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}

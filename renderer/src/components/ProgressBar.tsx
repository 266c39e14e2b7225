export function ProgressBar(props: {
  done: number;
  total: number;
  label: string;
  stopped?: boolean;
}): React.JSX.Element {
  const { done, total, label, stopped = false } = props;
  const percent = total === 0 ? 0 : Math.round((done / total) * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-valuetext={`${done} of ${total} checks done`}
    >
      <div
        className={stopped ? 'progress-fill progress-stopped' : 'progress-fill'}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}

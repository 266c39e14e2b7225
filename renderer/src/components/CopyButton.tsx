import { useAppStore } from '../store-context';

export function CopyButton({
  text,
  what,
  label = 'Copy',
  className = 'button subtle small',
}: {
  text: string;
  what: string;
  label?: string;
  className?: string;
}): React.JSX.Element {
  const copy = useAppStore((s) => s.copy);
  return (
    <button
      type="button"
      className={className}
      onClick={() => void copy(text, what)}
      aria-label={label === 'Copy' ? `Copy ${what.toLowerCase()}` : undefined}
    >
      {label}
    </button>
  );
}

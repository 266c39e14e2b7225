// The shield Windows itself puts on actions that ask for administrator rights (a UAC prompt follows).
// Decorative next to a button label that says so in words for screen readers.
export function AdminShield(): React.JSX.Element {
  return (
    <svg
      className="admin-shield"
      viewBox="0 0 16 16"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M8 1.2 2.5 3.3v4.1c0 3.3 2.3 6.1 5.5 7.4 3.2-1.3 5.5-4.1 5.5-7.4V3.3L8 1.2z" />
      <path className="admin-shield-half" d="M8 1.2v13.6c3.2-1.3 5.5-4.1 5.5-7.4V3.3L8 1.2z" />
    </svg>
  );
}

/** A button label with the shield when the action needs administrator rights. */
export function ActionLabel({ text, needsAdmin }: { text: string; needsAdmin: boolean }): React.JSX.Element {
  return needsAdmin ? (
    <>
      <AdminShield />
      {text}
      <span className="visually-hidden"> (needs administrator)</span>
    </>
  ) : (
    <>{text}</>
  );
}

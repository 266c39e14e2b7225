// The start: the address the player refused, the error it showed (optional), an expected IP and a stream
// known to work (optional, folded away), and recent addresses. Problems with the input are explained at the field before anything runs.
import { useEffect, useId, useRef, useState } from 'react';
import type { InputField } from '../../../electron/ipc/contract';
import { useAppStore } from '../store-context';
import { AppliedChangesList } from './AppliedChangesList';
import { SelfTestPanel } from './SelfTestPanel';

export function StartScreen(): React.JSX.Element {
  const form = useAppStore((s) => s.form);
  const fieldErrors = useAppStore((s) => s.fieldErrors);
  const formError = useAppStore((s) => s.formError);
  const submitting = useAppStore((s) => s.submitting);
  const startup = useAppStore((s) => s.startup);
  const recentUrls = useAppStore((s) => s.recentUrls);
  const setField = useAppStore((s) => s.setField);
  const submit = useAppStore((s) => s.submit);
  const openReportOrBundle = useAppStore((s) => s.openReportOrBundle);
  const [moreOpen, setMoreOpen] = useState(false);
  // Options that hold a value or an error stay visible: a folded-away problem would go unnoticed.
  const showMore =
    moreOpen ||
    form.expectIp !== '' ||
    form.knownGoodUrl !== '' ||
    fieldErrors.expectIp !== undefined ||
    fieldErrors.knownGoodUrl !== undefined;
  const urlRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const ipRef = useRef<HTMLInputElement>(null);
  const knownGoodRef = useRef<HTMLInputElement>(null);
  const moreId = useId();

  useEffect(() => {
    urlRef.current?.focus();
  }, []);
  useEffect(() => {
    // Take the person to the first field that needs attention.
    const refs: Record<InputField, React.RefObject<HTMLInputElement | null>> = {
      url: urlRef,
      errorCode: codeRef,
      expectIp: ipRef,
      knownGoodUrl: knownGoodRef,
      timeoutMs: urlRef,
    };
    const first = (['url', 'errorCode', 'expectIp', 'knownGoodUrl', 'timeoutMs'] as const).find(
      (f) => fieldErrors[f],
    );
    if (first) refs[first].current?.focus();
  }, [fieldErrors]);

  const problems = startup?.problems ?? [];
  return (
    <div className="start">
      <section className="intro">
        <h1>Why won’t the stream play?</h1>
        <p className="lead">
          Paste the address Windows Media Player could not open. Stream Doctor asks the server the way the
          player does — MMS, RTSP and HTTP — and tells you what is wrong and what to do.
        </p>
      </section>

      {startup && startup.sources.length > 0 && (
        <p className="prefill-note">
          Filled in from {startup.sources.join(', then ')}. Check the address and press Diagnose.
        </p>
      )}

      {problems.length > 0 && (
        <section className="startup-problems" role="alert" aria-labelledby="startup-problems-heading">
          <h2 id="startup-problems-heading">Some start-up settings were not used</h2>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                <strong>{p.source}:</strong> {p.message}
              </li>
            ))}
          </ul>
        </section>
      )}

      <form
        className="start-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field
          id="stream-url"
          label="Stream address"
          hint="It starts with mms://, rtsp:// or http:// — or type just the server name."
          error={fieldErrors.url ?? fieldErrors.timeoutMs}
          inputRef={urlRef}
          value={form.url}
          onChange={(v) => setField('url', v)}
          placeholder="mms://media.example.org/live"
          required
        />
        <Field
          id="error-code"
          label="Error code or message (optional)"
          hint="For example 0xC00D2EFA, or paste the message the player showed."
          error={fieldErrors.errorCode}
          inputRef={codeRef}
          value={form.errorCode}
          onChange={(v) => setField('errorCode', v)}
          placeholder="0xC00D2EFA"
        />
        <div className="more-options">
          <button
            type="button"
            className="link-button"
            aria-expanded={showMore}
            aria-controls={moreId}
            onClick={() => setMoreOpen(!showMore)}
          >
            {showMore ? 'Fewer options' : 'More options'}
          </button>
          <div id={moreId} hidden={!showMore}>
            <Field
              id="expect-ip"
              label="Expected server IP address (optional)"
              hint="If you know the IP address the server should have, Stream Doctor checks that the name points at it."
              error={fieldErrors.expectIp}
              inputRef={ipRef}
              value={form.expectIp}
              onChange={(v) => setField('expectIp', v)}
              placeholder="192.0.2.10"
            />
            <Field
              id="known-good-url"
              label="A stream known to work (optional)"
              hint="One that plays at this site tells a problem on this network from a problem on the server."
              error={fieldErrors.knownGoodUrl}
              inputRef={knownGoodRef}
              value={form.knownGoodUrl}
              onChange={(v) => setField('knownGoodUrl', v)}
              placeholder="mms://media.example.org/known-good"
            />
            <SelfTestPanel />
          </div>
        </div>
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="button primary large" disabled={submitting}>
            {submitting ? 'Starting…' : 'Diagnose'}
          </button>
          <button type="button" className="button" onClick={() => void openReportOrBundle()}>
            Open a report or bundle
          </button>
        </div>
      </form>

      <AppliedChangesList />

      {recentUrls.length > 0 && (
        <section className="recent" aria-labelledby="recent-heading">
          <h2 id="recent-heading">Recent addresses</h2>
          <ul>
            {recentUrls.map((url) => (
              <li key={url}>
                <button
                  type="button"
                  className="recent-url"
                  onClick={() => setField('url', url)}
                  aria-label={`Use ${url}`}
                >
                  {url}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

interface FieldProps {
  id: string;
  label: string;
  hint: string;
  error: string | undefined;
  value: string;
  placeholder: string;
  required?: boolean;
  inputRef: React.RefObject<HTMLInputElement | null>;
  onChange(value: string): void;
}

function Field({
  id,
  label,
  hint,
  error,
  value,
  placeholder,
  required,
  inputRef,
  onChange,
}: FieldProps): React.JSX.Element {
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <input
        ref={inputRef}
        id={id}
        name={id}
        type="text"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        value={value}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        aria-required={required ? true : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      )}
    </div>
  );
}

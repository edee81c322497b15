import { useState } from 'react';

/** A link that restores this view (settings, image, backend); copied when the browser allows it. */
export function ShareLink(props: { href: string }) {
  const [copied, setCopied] = useState('');
  return (
    <fieldset>
      <legend>Share</legend>
      <label className="stacked" htmlFor="share-link">
        Link to this view
      </label>
      <input id="share-link" type="text" readOnly value={props.href} onFocus={(e) => e.currentTarget.select()} />
      <button
        type="button"
        className="button secondary"
        onClick={() =>
          navigator.clipboard
            ?.writeText(props.href)
            .then(() => setCopied('Copied.'))
            .catch(() => setCopied('Select the link above and copy it.'))
        }
      >
        Copy share link
      </button>
      <span className="muted" role="status">
        {' '}
        {copied}
      </span>
      <p className="hint">Photos stay on this device: a link restores gallery images only.</p>
    </fieldset>
  );
}

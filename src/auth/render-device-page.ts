// The /device page: plain server-rendered HTML with inline CSS, no scripts and no external assets.

export type DevicePageView =
  | { step: 'enter_code'; csrfToken: string; message?: string; prefill?: string }
  | {
      step: 'confirm'
      csrfToken: string
      displayCode: string
      clientId: string
      clientName: string
      scope: string
      message?: string
      email?: string
    }
  | { step: 'done'; approved: boolean; clientName: string }
  | { step: 'blocked'; message: string }

const style = `body{font:16px/1.5 system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem;color:#111}
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}input{font:inherit;width:100%;padding:.4rem;box-sizing:border-box}
.code{font:700 1.6rem ui-monospace,monospace;letter-spacing:.15em}.client{background:#f3f3f3;padding:.8rem;border-radius:.4rem}
.message{color:#a00}.buttons{display:flex;gap:1rem;margin-top:1.2rem}button{font:inherit;padding:.5rem 1.2rem;cursor:pointer}`

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
}

export function renderDevicePage(view: DevicePageView): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Switchyard device login</title><style>${style}</style></head><body><h1>Switchyard device login</h1>${renderBody(view)}</body></html>`
}

function renderBody(view: DevicePageView): string {
  const message = 'message' in view && view.message != null ? `<p class="message" role="alert">${escapeHtml(view.message)}</p>` : ''
  switch (view.step) {
    case 'enter_code':
      return `${message}<p>Enter the code your terminal or agent shows.</p>
<form method="post" action="/device"><input type="hidden" name="csrf" value="${escapeHtml(view.csrfToken)}"><input type="hidden" name="action" value="lookup">
<label for="user_code">Code</label><input id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" placeholder="XXXX-XXXX" value="${escapeHtml(view.prefill ?? '')}" required>
<div class="buttons"><button type="submit">Continue</button></div></form>`
    case 'confirm':
      return `${message}<div class="client"><p><strong>${escapeHtml(view.clientName)}</strong> (client <code>${escapeHtml(view.clientId)}</code>) asks to sign in to your Switchyard account with the scope <code>${escapeHtml(view.scope)}</code>: it could create and revoke your API keys, read your usage and ask for top-up links.</p>
<p>Approve only if this code is the one on the device you are using:</p><p class="code">${escapeHtml(view.displayCode)}</p></div>
<form method="post" action="/device"><input type="hidden" name="csrf" value="${escapeHtml(view.csrfToken)}"><input type="hidden" name="user_code" value="${escapeHtml(view.displayCode)}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(view.email ?? '')}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="buttons"><button type="submit" name="action" value="approve">Approve</button><button type="submit" name="action" value="deny">Deny</button></div></form>`
    case 'done':
      return view.approved
        ? `<p>Approved. <strong>${escapeHtml(view.clientName)}</strong> is now signed in; you can close this page.</p>`
        : `<p>Denied. <strong>${escapeHtml(view.clientName)}</strong> was not signed in.</p>`
    case 'blocked':
      return `<p class="message" role="alert">${escapeHtml(view.message)}</p>`
  }
}

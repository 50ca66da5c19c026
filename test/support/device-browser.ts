// A scripted "browser" for the /device page: keeps the CSRF cookie and submits the forms the
// way a person would, so device-flow tests run the real page over real HTTP.

export type DeviceBrowser = {
  open(userCode?: string): Promise<{ status: number; html: string }>
  submit(fields: Record<string, string>, headers?: Record<string, string>): Promise<{ status: number; html: string }>
  /** Enter the code, sign in and press Approve or Deny. */
  answer(userCode: string, email: string, password: string, action: 'approve' | 'deny'): Promise<{ status: number; html: string }>
}

export function createDeviceBrowser(baseUrl: string): DeviceBrowser {
  let cookie = ''
  let csrf = ''
  const remember = (response: Response, html: string) => {
    const setCookie = response.headers.get('set-cookie')
    const match = setCookie == null ? null : /sy_device_csrf=([A-Za-z0-9]+)/.exec(setCookie)
    if (match?.[1] != null) cookie = `sy_device_csrf=${match[1]}`
    csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? csrf
  }
  const browser: DeviceBrowser = {
    async open(userCode) {
      const response = await fetch(`${baseUrl}/device${userCode == null ? '' : `?user_code=${encodeURIComponent(userCode)}`}`, {
        headers: cookie === '' ? {} : { cookie },
      })
      const html = await response.text()
      remember(response, html)
      return { status: response.status, html }
    },
    async submit(fields, headers = {}) {
      const response = await fetch(`${baseUrl}/device`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl, ...(cookie === '' ? {} : { cookie }), ...headers },
        body: new URLSearchParams({ csrf, ...fields }).toString(),
      })
      const html = await response.text()
      remember(response, html)
      return { status: response.status, html }
    },
    async answer(userCode, email, password, action) {
      if (csrf === '') await browser.open()
      return browser.submit({ user_code: userCode, email, password, action })
    },
  }
  return browser
}

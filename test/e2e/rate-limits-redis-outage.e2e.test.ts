import { describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { createDeviceBrowser } from '../support/device-browser.ts'
import { startTestGateway } from '../support/start-test-gateway.ts'
import { startCutProxy } from '../support/tcp-cut-proxy.ts'

// Redis going away is a prompt 503 (in OpenAI's envelope on the data plane, a page on /device, `unavailable: ["redis"]` on /readyz),
// never a hang or a crash, and the gateway recovers when Redis is back. The outage is a TCP proxy in front of the shared Redis being cut.

const redisUrl = process.env.SWITCHYARD_TEST_REDIS_URL
const describeWithRedis = redisUrl == null || redisUrl === '' ? describe.skip : describe

async function readyz(url: string) {
  const response = await fetch(`${url}/readyz`)
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describeWithRedis('rate limits and /device limits when Redis goes away', () => {
  test('503 while Redis is unreachable, admitted again once it is back', async () => {
    const target = new URL(redisUrl ?? '')
    const proxy = startCutProxy({ host: target.hostname, port: Number(target.port || 6379) })
    const gateway = await startTestGateway({
      env: {
        SWITCHYARD_REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
        SWITCHYARD_REDIS_KEY_PREFIX: `test:${crypto.randomUUID()}:`,
        SWITCHYARD_RATE_LIMIT_RPM: '1000',
      },
    })
    try {
      const client = new OpenAI({ apiKey: (await gateway.createKey()).raw, baseURL: gateway.baseUrl, maxRetries: 0 })
      const ask = () => client.chat.completions.create({ model: 'switchyard/echo', messages: [{ role: 'user', content: 'hi' }] })
      expect((await ask()).choices[0]?.message.content).toContain('hi')
      const devicePage = createDeviceBrowser(gateway.url)
      await devicePage.open()
      expect(await readyz(gateway.url)).toMatchObject({ status: 200, body: { status: 'ready', redis: 'ok' } })

      proxy.cut()
      await Bun.sleep(50)
      const started = Date.now()
      const error = await ask().catch((thrown: unknown) => thrown)
      expect(Date.now() - started).toBeLessThan(2000)
      expect(error).toBeInstanceOf(OpenAI.APIError)
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503)
      expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('rate limiter')
      // The /device abuse limits live there too: the page refuses to look at codes it cannot count.
      const uncounted = await devicePage.submit({ action: 'lookup', user_code: 'BBBB-BBBB' })
      expect(uncounted.status).toBe(503)
      expect(uncounted.html).toContain('unavailable')
      // Readiness says so too, promptly, so a load balancer stops sending traffic here.
      const probed = Date.now()
      expect(await readyz(gateway.url)).toEqual({
        status: 503,
        body: { status: 'unavailable', database: 'sqlite', redis: 'unavailable', unavailable: ['redis'] },
      })
      expect(Date.now() - probed).toBeLessThan(2000)
      expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200)

      proxy.restore()
      let recovered = false
      for (let attempt = 0; attempt < 100 && !recovered; attempt++) {
        recovered = await ask().then(
          () => true,
          () => false,
        )
        if (!recovered) await Bun.sleep(100)
      }
      expect(recovered).toBe(true)
      expect((await devicePage.submit({ action: 'lookup', user_code: 'BBBB-BBBB' })).status).toBe(400)
      expect(await readyz(gateway.url)).toMatchObject({ status: 200, body: { status: 'ready', redis: 'ok' } })
    } finally {
      await gateway.stop()
      proxy.close()
    }
  }, 30_000)
})

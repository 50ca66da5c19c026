import { describe, expect, test } from 'bun:test'
import { compileErrors, validate } from '@readme/openapi-parser'
import { allRouteSpecs } from './all-route-specs.ts'
import { buildOpenApiDocument } from './build-openapi-document.ts'
import { managementRouteSpecs } from './management-route-specs.ts'

describe('buildOpenApiDocument', () => {
  test('stays valid OpenAPI 3.1 with the management routes other branches serve added', async () => {
    const document = buildOpenApiDocument({
      routes: [...allRouteSpecs, ...managementRouteSpecs],
      version: '0.0.0',
      serverUrl: 'http://localhost:8080',
    })
    const result = await validate(structuredClone(document) as never)
    if (!result.valid) throw new Error(compileErrors(result))
    expect(Object.keys(document.paths)).toContain('/api/v1/me/keys/{id}')
  })

  test('path parameters, query parameters, form bodies and security come from the spec entry', () => {
    const document = buildOpenApiDocument({ routes: [...allRouteSpecs, ...managementRouteSpecs], version: '0.0.0' })
    const revoke = document.paths['/api/v1/me/keys/{id}']?.delete
    expect(revoke?.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }])
    expect(revoke?.security).toEqual([{ sessionToken: [] }, { apiKey: ['manage'] }])
    const token = document.paths['/api/v1/auth/token']?.post
    expect(Object.keys(token?.requestBody?.content ?? {})).toEqual(['application/x-www-form-urlencoded'])
    expect(token?.security).toEqual([])
    const usage = document.paths['/api/v1/usage']?.get
    expect(usage?.parameters?.[0]).toMatchObject({ name: 'days', in: 'query', required: false })
  })
})

import type { ProviderConfig } from '../config/config-types.ts'
import { anthropicAdapter } from './anthropic/anthropic-adapter.ts'
import { geminiAdapter } from './gemini/gemini-adapter.ts'
import { createOpenAiCompatibleAdapter } from './openai-compatible/openai-compatible-adapter.ts'
import type { DeploymentTarget, ProviderAdapter } from './provider-adapter.ts'

export type RegisteredProvider = {
  config: ProviderConfig
  adapter: ProviderAdapter
  targetFor(upstreamModel: string): DeploymentTarget
}

export type ProviderRegistry = ReadonlyMap<string, RegisteredProvider>

/** One adapter instance per configured provider, built once at start. */
export function createProviderRegistry(providers: readonly ProviderConfig[]): ProviderRegistry {
  return new Map(providers.map((config) => [config.id, register(config)]))
}

function register(config: ProviderConfig): RegisteredProvider {
  const adapter = adapterFor(config)
  // One target object per upstream model, built on first use: the registry is rebuilt whenever a
  // provider changes, and a stable target lets the adapter build its headers and URL once.
  const targets = new Map<string, DeploymentTarget>()
  return {
    config,
    adapter,
    targetFor: (upstreamModel) => {
      let target = targets.get(upstreamModel)
      if (target == null) {
        target = {
          providerId: config.id,
          upstreamModel,
          baseUrl: config.baseUrl,
          apiKey: config.apiKey,
          headers: config.headers,
          ...(config.query == null ? {} : { query: config.query }),
        }
        targets.set(upstreamModel, target)
      }
      return target
    },
  }
}

function adapterFor(config: ProviderConfig): ProviderAdapter {
  switch (config.family) {
    case 'anthropic':
      return anthropicAdapter
    case 'gemini':
      return geminiAdapter
    case 'openai-compatible':
    case 'local':
      return createOpenAiCompatibleAdapter(config)
  }
}

/**
 * How a debug configuration's environment takes the agency's credentials
 * (`withDebugEnvironment`): the `env` object most debuggers read, the `environment` list
 * of `{ name, value }` the C/C++ debuggers read, the configuration's own entries winning
 * in both, and a malformed environment left as it is for the debugger to report.
 */
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { credentialEnvironment, type DebugEnvironmentConfig, withDebugEnvironment } from '../../src/core/credentials/environment';

const VARIABLES = credentialEnvironment({ accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'TOKEN', issuedAt: 0, expiresAt: 3600 });

describe('withDebugEnvironment', () => {
  it('adds the six variables as an env object to a configuration without one, keeping the rest', () => {
    const config = { type: 'node', request: 'launch', name: 'Run', program: 'app.js' };
    assert.deepEqual(withDebugEnvironment(config, VARIABLES), { ...config, env: VARIABLES });
    assert.equal('env' in config, false, 'the configuration given is not changed');
  });

  it('keeps every entry the configuration sets in env, its own value winning, null included', () => {
    const config = { type: 'python', env: { HW_ACCESS_KEY: 'mine', HUAWEICLOUD_SDK_SECURITY_TOKEN: null, PORT: '8080' } };
    assert.deepEqual(withDebugEnvironment(config, VARIABLES).env, { ...VARIABLES, HW_ACCESS_KEY: 'mine', HUAWEICLOUD_SDK_SECURITY_TOKEN: null, PORT: '8080' });
    assert.deepEqual(config.env, { HW_ACCESS_KEY: 'mine', HUAWEICLOUD_SDK_SECURITY_TOKEN: null, PORT: '8080' }, 'not changed in place');
  });

  for (const type of ['cppdbg', 'cppvsdbg']) {
    it(`gives ${type} the variables in its environment list, after its own entries, which win`, () => {
      const own = [{ name: 'HUAWEICLOUD_SDK_AK', value: 'mine' }, { name: 'PORT', value: '8080' }];
      const result = withDebugEnvironment({ type, request: 'launch', environment: own }, VARIABLES);
      assert.deepEqual(result.environment, [...own, ...Object.entries(VARIABLES).filter(([name]) => name !== 'HUAWEICLOUD_SDK_AK').map(([name, value]) => ({ name, value }))]);
      assert.equal('env' in result, false, `${type} reads no env object`);
      assert.deepEqual(withDebugEnvironment<DebugEnvironmentConfig>({ type }, VARIABLES).environment, Object.entries(VARIABLES).map(([name, value]) => ({ name, value })), 'a list of its own when it had none');
    });
  }

  it('keeps list entries it cannot read, and names only what they name', () => {
    const own = [null, 'PORT=1', { value: 'no name' }, { name: 'HW_SECRET_KEY', value: 'mine' }];
    const names = (withDebugEnvironment({ type: 'cppdbg', environment: own }, VARIABLES).environment as unknown[]).slice(own.length).map((entry) => (entry as { name: string }).name);
    assert.deepEqual(names, Object.keys(VARIABLES).filter((name) => name !== 'HW_SECRET_KEY'));
  });

  it('returns a configuration whose environment has the wrong shape as it is, adding nothing', () => {
    for (const config of [{ type: 'node', env: 'A=1' }, { type: 'node', env: ['A=1'] }, { type: 'node', env: null }, { type: 'cppdbg', environment: { A: '1' } }]) {
      assert.equal(withDebugEnvironment(config, VARIABLES), config, JSON.stringify(config));
    }
  });

  it('for any env of the configuration: every own entry kept as it is, every variable it does not set added', () => {
    const name = fc.oneof(fc.constantFrom(...Object.keys(VARIABLES)), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.dictionary(name, fc.oneof(fc.string(), fc.constant(null))), (env) => {
        const result = withDebugEnvironment({ type: 'node', env }, VARIABLES).env as Record<string, unknown>;
        for (const [key, value] of Object.entries(env)) assert.equal(result[key], value);
        for (const [key, value] of Object.entries(VARIABLES)) if (!Object.hasOwn(env, key)) assert.equal(result[key], value);
        assert.equal(Object.keys(result).length, new Set([...Object.keys(env), ...Object.keys(VARIABLES)]).size);
      }),
    );
  });
});

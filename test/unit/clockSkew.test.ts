/**
 * Clock skew: a service ten minutes ahead of or behind this computer, and expiry
 * decisions that follow the service's clock (the one that sets the expiry).
 */
import { strict as assert } from 'node:assert';
import { estimateClockOffsetMs } from '../../src/core/registration/clockSkew';
import { renewalMarginSeconds } from '../../src/core/common/expiry';
import { isUsable, renewalDueAtMs } from '../../src/core/registration/expiry';
import { parseStoredRegistration, serializeRegistration } from '../../src/core/registration/record';
import { FakeClock } from '../support/fakeTime';
import { useEmulator } from '../support/emulatorFixture';

describe('estimateClockOffsetMs', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  it('prefers client_id_issued_at, the clock that sets the expiry', () => {
    assert.equal(estimateClockOffsetMs(now, now / 1000 + 600, new Date(now).toUTCString()), 600_500);
  });
  it('falls back to the Date header', () => {
    assert.equal(estimateClockOffsetMs(now, undefined, new Date(now - 600_000).toUTCString()), -599_500);
  });
  it('ignores noise, absurd offsets and unreadable headers', () => {
    assert.equal(estimateClockOffsetMs(now, now / 1000 + 1, undefined), 0);
    assert.equal(estimateClockOffsetMs(now, now / 1000 + 3 * 24 * 3600, undefined), 0);
    assert.equal(estimateClockOffsetMs(now, undefined, 'yesterday'), 0);
    assert.equal(estimateClockOffsetMs(now, undefined, undefined), 0);
  });
});

describe('expiry with a skewed service clock', () => {
  const fx = useEmulator({ emulator: { secretLifetimeSeconds: 1800 } });

  for (const skewSeconds of [600, -600]) {
    it(`service ${skewSeconds > 0 ? 'ten minutes ahead' : 'ten minutes behind'}: renews when the service's clock reaches expiresAt − margin`, async () => {
      fx.emulator.setClockOffset(skewSeconds);
      // This computer's clock, which the service's is ahead of or behind.
      const clock = new FakeClock(Date.now());
      const manager = fx.registrations({ clock });
      const first = await manager.register('skewed');
      assert.ok(Math.abs((first.clockOffsetMs ?? 0) - skewSeconds * 1000) <= 1500, `measured ${first.clockOffsetMs} ms`);
      // The log says how far, as a distance: "600 s behind", never "-600 s behind".
      const said = `clock is ${Math.abs(skewSeconds)} s ${skewSeconds > 0 ? 'ahead of' : 'behind'} this computer's`;
      assert.ok(fx.logger.lines.some((line) => line.includes(said)), `the log says "${said}": ${fx.logger.lines.join(' | ')}`);

      // The service renews at expiresAt − margin on its clock: 1620 s after issue.
      const serviceDueMs = (first.expiresAt - renewalMarginSeconds(first)) * 1000;
      assert.equal(renewalDueAtMs(first) + (first.clockOffsetMs ?? 0), serviceDueMs);
      clock.advance(renewalDueAtMs(first) - clock.now() - 1);
      assert.equal((await manager.ensureClient()).clientId, first.clientId);
      clock.advance(1);
      const renewed = await manager.ensureClient();
      assert.notEqual(renewed.clientId, first.clientId);
      assert.equal(fx.emulator.requests('/v1/clients').length, 2);
    });
  }

  it('without the offset, a computer ten minutes behind would use the secret past its expiry', () => {
    const issuedAt = 1_000_000;
    const registration = { issuedAt, expiresAt: issuedAt + 1800, clockOffsetMs: 600_000 };
    const localNowMs = (issuedAt + 1800 - 600 + 1) * 1000; // the service's clock is already past expiresAt
    assert.equal(isUsable({ issuedAt, expiresAt: issuedAt + 1800 }, localNowMs), true, 'the naive rule is wrong here');
    assert.equal(isUsable(registration, localNowMs), false);
  });

  it('stores the offset with the registration and reads it back', () => {
    const registration = { endpoint: 'https://e', clientName: 'n', clientId: 'i', clientSecret: 's', issuedAt: 1, expiresAt: 2, scopes: [], clockOffsetMs: -600_000 };
    assert.equal(parseStoredRegistration(serializeRegistration(registration)).clockOffsetMs, -600_000);
    assert.throws(() => parseStoredRegistration(serializeRegistration({ ...registration, clockOffsetMs: 1e12 })));
  });
});

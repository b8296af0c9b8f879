package dev.keyward.emailcode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyward.common.MemoryStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The limiter's bookkeeping against an in-memory store with a hand-moved clock (the real store,
 * Keycloak's Infinispan one, is exercised by EmailCodeLoginIT).
 */
class SendLimiterTest {
    private static final CodeSubject ALICE = CodeSubject.ofUser("alice-id");
    private static final String HOME = SendLimiter.sourceOf("192.0.2.10");

    private final MemoryStore store = new MemoryStore();
    private final SendLimiter limiter = new SendLimiter(store);

    private static EmailCodeSettings settings(int cooldownSeconds, int perHour) {
        return EmailCodeSettings.from(Map.of(
                EmailCodeSettings.RESEND_COOLDOWN_SECONDS,
                Integer.toString(cooldownSeconds),
                EmailCodeSettings.MAX_SENDS_PER_HOUR,
                Integer.toString(perHour)));
    }

    @Test
    void cooldownRefusesUntilItEndsWithoutUsingASlot() {
        EmailCodeSettings s = settings(60, 2);
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, HOME, s));
        for (int i = 0; i < 5; i++) {
            assertEquals(SendLimiter.Outcome.COOLDOWN, limiter.claim("r", ALICE, ALICE, HOME, s));
        }
        store.advance(Duration.ofSeconds(60));
        // the refused tries took no slot: the second send of the hour is still free
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, HOME, s));
    }

    @Test
    void atMostNInAnyHour() {
        EmailCodeSettings s = settings(0, 3);
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, HOME, s));
        store.advance(Duration.ofMinutes(20));
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, HOME, s));
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, HOME, s));
        assertEquals(SendLimiter.Outcome.HOURLY_CAP, limiter.claim("r", ALICE, ALICE, HOME, s));
        store.advance(Duration.ofMinutes(39));
        assertEquals(
                SendLimiter.Outcome.HOURLY_CAP,
                limiter.claim("r", ALICE, ALICE, HOME, s),
                "a slot freed before its hour");
        store.advance(Duration.ofMinutes(1));
        // the first send is an hour old: exactly one slot free again
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, HOME, s));
        assertEquals(SendLimiter.Outcome.HOURLY_CAP, limiter.claim("r", ALICE, ALICE, HOME, s));
    }

    @Test
    void limitsArePerRealmAndSubject() {
        EmailCodeSettings s = settings(60, 1);
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, HOME, s));
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("other-realm", ALICE, ALICE, HOME, s));
        assertEquals(
                SendLimiter.Outcome.ALLOWED,
                limiter.claim("r", CodeSubject.ofUser("bob-id"), CodeSubject.ofUser("bob-id"), HOME, s));
        assertEquals(
                SendLimiter.Outcome.ALLOWED,
                limiter.claim("r", CodeSubject.ofName("r", "alice-id"), CodeSubject.ofName("r", "alice-id"), HOME, s));
    }

    @Test
    void cooldownAndCapCanBeKeyedApart() {
        EmailCodeSettings s = settings(60, 2);
        CodeSubject byName = CodeSubject.ofName("r", "alice");
        CodeSubject byEmail = CodeSubject.ofName("r", "alice@example.test");
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", byName, ALICE, HOME, s));
        // another name of the same account is not in the first one's cooldown...
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", byEmail, ALICE, HOME, s));
        // ...but the account's hour is used up by both
        store.advance(Duration.ofSeconds(60));
        assertEquals(SendLimiter.Outcome.HOURLY_CAP, limiter.claim("r", byName, ALICE, HOME, s));
    }

    @Test
    void aFailedSendCanBeRetriedAtOnce() {
        EmailCodeSettings s = settings(60, 5);
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, HOME, s));
        limiter.releaseCooldown("r", ALICE);
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, HOME, s));
    }

    /**
     * Issue 17, item 10: one source uses up only its own share of an account's hour; the owner,
     * from another network, still gets codes, until {@value SendLimiter#ACCOUNT_FACTOR} sources
     * together reach the account's cap.
     */
    @Test
    void oneSourceCannotDrainAnAccountAlone() {
        EmailCodeSettings s = settings(0, 5);
        String attacker = SendLimiter.sourceOf("203.0.113.7");
        for (int i = 0; i < 5; i++) {
            assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, attacker, s));
        }
        assertEquals(SendLimiter.Outcome.HOURLY_CAP, limiter.claim("r", ALICE, ALICE, attacker, s));
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, HOME, s), "the owner is kept out");

        // another address in the attacker's IPv6 /48 is the same source
        String v6 = SendLimiter.sourceOf("2001:db8:1:2::1");
        assertEquals(v6, SendLimiter.sourceOf("2001:db8:1:ff:ffff::9"));
        assertEquals(false, v6.equals(SendLimiter.sourceOf("2001:db8:2::1")));
        for (int i = 0; i < 5; i++) {
            assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, v6, s));
        }
        // 5 + 1 + 5 of 15: a third network takes the account's last 4
        String third = SendLimiter.sourceOf("198.51.100.1");
        for (int i = 0; i < 4; i++) {
            assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, third, s));
        }
        assertEquals(SendLimiter.Outcome.HOURLY_CAP, limiter.claim("r", ALICE, ALICE, third, s));
        // a refusal at the account level leaves the source's own share untouched
        assertEquals(SendLimiter.Outcome.HOURLY_CAP, limiter.claim("r", ALICE, ALICE, HOME, s));
        store.advance(Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, HOME, s));
        }
    }

    @Test
    void sourcesAreAddressesOrIpv6Blocks() {
        assertEquals("192.0.2.10", SendLimiter.sourceOf(" 192.0.2.10 "));
        assertEquals("20010db80001/48", SendLimiter.sourceOf("[2001:db8:1:2::1]"));
        assertEquals("unknown", SendLimiter.sourceOf(null));
        assertEquals("unknown", SendLimiter.sourceOf("proxy.example"));
    }

    /** A send the hourly cap refuses takes nothing: neither the cooldown nor the source's share. */
    @Test
    void aCapRefusalKeepsNeitherCooldownNorSlot() {
        EmailCodeSettings s = settings(60, 1);
        String other = SendLimiter.sourceOf("198.51.100.2");
        String third = SendLimiter.sourceOf("198.51.100.3");
        CodeSubject byName = CodeSubject.ofName("r", "alice");
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", CodeSubject.ofName("r", "a1"), ALICE, HOME, s));
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", CodeSubject.ofName("r", "a2"), ALICE, other, s));
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", CodeSubject.ofName("r", "a3"), ALICE, third, s));
        // the account's 3 are used: refused, and the name's cooldown was not taken by the refusal
        assertEquals(
                SendLimiter.Outcome.HOURLY_CAP,
                limiter.claim("r", byName, ALICE, SendLimiter.sourceOf("203.0.113.9"), s));
        store.advance(Duration.ofHours(1));
        assertEquals(
                SendLimiter.Outcome.ALLOWED, limiter.claim("r", byName, ALICE, SendLimiter.sourceOf("203.0.113.9"), s));
    }

    /** Second-factor sends (an earlier factor proved the user) have their own hour: anonymous requests cannot use it up. */
    @Test
    void secondFactorSendsHaveSlotsOfTheirOwn() {
        EmailCodeSettings s = settings(0, 1);
        for (String ip : new String[] {"203.0.113.1", "203.0.113.2", "203.0.113.3"}) {
            assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, SendLimiter.sourceOf(ip), s));
        }
        assertEquals(
                SendLimiter.Outcome.HOURLY_CAP,
                limiter.claim("r", ALICE, ALICE, SendLimiter.sourceOf("203.0.113.4"), s));
        assertEquals(SendLimiter.Outcome.ALLOWED, limiter.claim("r", ALICE, ALICE, SendLimiter.PROVEN, s));
        assertEquals(SendLimiter.Outcome.HOURLY_CAP, limiter.claim("r", ALICE, ALICE, SendLimiter.PROVEN, s));
    }
}

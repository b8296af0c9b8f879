package dev.keyward.emailcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.common.FakeFlow;
import dev.keyward.common.FakeFlow.Outcome;
import dev.keyward.common.Fakes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.events.Errors;
import org.keycloak.models.KeyManager;

/**
 * The email-code step's state machine, request by request, against a fake flow context: when a
 * mail goes out, what each answer says, and what is reported to brute-force protection. The
 * integration tests run the same step in Keycloak with a real SMTP server.
 */
class EmailCodeStepsTest {
    private final FakeFlow flow = new FakeFlow();
    /** The codes mailed, in order: second factors by Keycloak's template provider, first factors queued. */
    private final List<String> mailed = new ArrayList<>();
    /** First-factor mails queued as decoys, and why each is one. */
    private final List<String> decoys = new ArrayList<>();

    private final List<String> refusals = new ArrayList<>();

    private final EmailCodeAuthenticator step =
            new EmailCodeAuthenticator((context, recipient, attributes, delivery) -> {
                String code = String.valueOf(attributes.get("code"));
                if (delivery.decoy()) {
                    decoys.add(code);
                    refusals.add(delivery.refusal());
                } else {
                    assertEquals(recipient.getId(), delivery.userId());
                    mailed.add(code);
                }
            });

    private FakeFlow.User alice;

    @BeforeEach
    void aliceHasAVerifiedAddress() {
        alice = flow.addUser("a11ce-id", "alice", "alice@example.com");
        KeyWrapper key = new KeyWrapper();
        key.setKid("hs512-1");
        key.setSecretKey(new SecretKeySpec(new byte[64], "HmacSHA512"));
        flow.keys = Fakes.of(
                KeyManager.class,
                Fakes.answers()
                        .returning("getActiveKey", key)
                        .on("getKey", a -> key.getKid().equals(a[1]) ? key : null));
        flow.provide(
                EmailTemplateProvider.class,
                Fakes.of(EmailTemplateProvider.class, Fakes.answers().on("send", a -> {
                    mailed.add(String.valueOf(((Map<?, ?>) a[3]).get("code")));
                    return null;
                })));
    }

    @Test
    void asFirstFactorTheNameGetsAMailAndTheRightCodeSignsIn() {
        step.authenticate(flow.get());
        assertEquals(EmailCodeConstants.TEMPLATE_IDENTIFY, flow.page.template());

        step.action(flow.post(Map.of("email_code_op", "identify", "username", "alice")));
        assertEquals(EmailCodeConstants.TEMPLATE_CODE, flow.page.template());
        assertEquals(EmailCodeConstants.MSG_SENT_IF_EXISTS, flow.page.info(), "no address shown before a factor");
        assertEquals(1, mailed.size());
        assertTrue(decoys.isEmpty());
        assertTrue(flow.events.isEmpty(), "a queued mail's event comes from the send");

        step.authenticate(flow.get());
        assertEquals(1, mailed.size(), "a reload shows the page again and sends nothing");

        step.action(flow.post(Map.of("email_code_op", "verify", "code", mailed.get(0))));
        assertEquals(Outcome.SUCCESS, flow.outcome);
        assertEquals(EmailCodeConstants.CREDENTIAL_TYPE, flow.successType);
        assertEquals(alice, flow.user);
    }

    @Test
    void aWrongFirstFactorCodeCountsAsAWrongPassword() {
        step.action(flow.post(Map.of("email_code_op", "identify", "username", "alice")));
        step.action(flow.post(Map.of("email_code_op", "verify", "code", "000000")));
        assertEquals(Outcome.CHALLENGE, flow.outcome);
        assertEquals(EmailCodeConstants.MSG_INVALID, flow.page.error());
        assertEquals(List.of(alice.id + ":[password]"), flow.failures);
    }

    @Test
    void asSecondFactorTheAddressIsShownAndAWrongCodeIsAnOtpFailure() {
        flow.user = alice;
        flow.authNotes.put("authn.credentials", "[\"password\"]");
        step.authenticate(flow.get());
        assertEquals(EmailCodeConstants.MSG_SENT_TO, flow.page.info());
        assertEquals(1, mailed.size());
        step.action(flow.post(Map.of("email_code_op", "verify", "code", "000000")));
        assertEquals(List.of(alice.id + ":[otp]"), flow.failures);
    }

    @Test
    void aNameWithoutAnAccountGetsTheSamePagesAndNoCodeMatches() {
        step.action(flow.post(Map.of("email_code_op", "identify", "username", "nobody")));
        assertEquals(EmailCodeConstants.TEMPLATE_CODE, flow.page.template());
        assertEquals(EmailCodeConstants.MSG_SENT_IF_EXISTS, flow.page.info());
        assertTrue(mailed.isEmpty());
        assertEquals(1, decoys.size(), "rendered like a real mail, not sent");
        assertTrue(decoys.get(0).startsWith(CodeSender.DECOY_MARK));
        assertEquals(List.of(Errors.USER_NOT_FOUND), refusals);
        assertTrue(flow.events.isEmpty(), "a decoy's event is written by its task, as a real one's");

        step.action(flow.post(Map.of("email_code_op", "verify", "code", "000000")));
        assertEquals(EmailCodeConstants.MSG_INVALID, flow.page.error());
        assertTrue(flow.failures.isEmpty(), "nothing to lock");
        assertNull(flow.user);
    }

    @Test
    void aLockedAccountIsAnsweredLikeAnUnknownNameAndItsTriesAreNotCounted() {
        flow.locked.add(alice.id);
        step.action(flow.post(Map.of("email_code_op", "identify", "username", "alice")));
        assertEquals(EmailCodeConstants.MSG_SENT_IF_EXISTS, flow.page.info());
        assertTrue(mailed.isEmpty());
        assertEquals(1, decoys.size());
        step.action(flow.post(Map.of("email_code_op", "verify", "code", "000000")));
        assertEquals(EmailCodeConstants.MSG_INVALID, flow.page.error());
        assertTrue(flow.failures.isEmpty());
    }

    @Test
    void aResendWithinTheCooldownIsRefusedAndTheFirstCodeStillWorks() {
        step.action(flow.post(Map.of("email_code_op", "identify", "username", "alice")));
        step.action(flow.post(Map.of("email_code_op", "resend")));
        assertEquals(EmailCodeConstants.MSG_COOLDOWN, flow.page.error());
        assertEquals(1, mailed.size());
        step.action(flow.post(Map.of("email_code_op", "verify", "code", mailed.get(0))));
        assertEquals(Outcome.SUCCESS, flow.outcome);
    }

    @Test
    void aMissingNameIsAskedForAgain() {
        step.action(flow.post(Map.of("email_code_op", "identify", "username", "  ")));
        assertEquals(EmailCodeConstants.TEMPLATE_IDENTIFY, flow.page.template());
        assertEquals(EmailCodeConstants.MSG_USERNAME_MISSING, flow.page.error());
        assertNotNull(flow.events.get(0).error());
    }
}

package dev.keyward.it.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.base.GreenMailOperations;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests' GreenMail SMTP server received, read the way a mail client shows it. */
public final class Mailbox {
    /** keyward-email-code's text part puts the code alone on an indented line. */
    private static final Pattern CODE_LINE = Pattern.compile("(?m)^ {4}([0-9A-Z]{6,10})\\s*$");

    private final GreenMailOperations mail;

    /** What {@code mail} receives; a {@link KeywardTest} class gets one with an SMTP server of its own. */
    public Mailbox(GreenMailOperations mail) {
        this.mail = mail;
    }

    /** The realm's {@code smtpServer} settings that send to this mailbox's server. */
    public Map<String, String> realmSmtp() {
        return realmSmtp(mail);
    }

    /**
     * The realm's {@code smtpServer} settings for a mail server that is down: a loopback port
     * nothing listens on, so every send fails at once.
     */
    public static Map<String, String> unreachableSmtp() {
        return Map.of(
                "host",
                "127.0.0.1",
                "port",
                Integer.toString(KeycloakServer.freePort()),
                "from",
                "keyward@example.test");
    }

    /** The realm's {@code smtpServer} settings that send through {@code mail}. */
    public static Map<String, String> realmSmtp(GreenMailOperations mail) {
        return Map.of(
                "host",
                "127.0.0.1",
                "port",
                Integer.toString(mail.getSmtp().getPort()),
                "from",
                "keyward@example.test",
                "fromDisplayName",
                "Keyward");
    }

    /** @return every message received so far, all recipients */
    public int count() {
        return mail.getReceivedMessages().length;
    }

    /** Whether at least {@code total} messages arrived in all within {@code timeout}. */
    public boolean arrived(int total, Duration timeout) {
        return mail.waitForIncomingEmail(timeout.toMillis(), total);
    }

    /** Waits until at least {@code total} messages arrived in all. */
    void awaitCount(int total, Duration timeout) {
        assertTrue(mail.waitForIncomingEmail(timeout.toMillis(), total), "fewer than " + total + " emails arrived");
    }

    /** The emails received for {@code address}, oldest first (GreenMail lists all mails grouped by mailbox). */
    public List<MimeMessage> to(String address) throws Exception {
        List<MimeMessage> result = new ArrayList<>();
        for (MimeMessage message : mail.getReceivedMessages()) {
            for (Address to : message.getRecipients(Message.RecipientType.TO)) {
                if (to.toString().equalsIgnoreCase(address)) {
                    result.add(message);
                }
            }
        }
        return result;
    }

    /** Waits for the {@code n}th mail to {@code address} and returns it; fails if more arrived. */
    public MimeMessage awaitNth(String address, int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (to(address).size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("mail " + n + " to " + address + " did not arrive");
            }
            KeycloakServer.sleep(Duration.ofMillis(100));
        }
        List<MimeMessage> mails = to(address);
        if (mails.size() != n) {
            throw new AssertionError(mails.size() + " mails to " + address + ", expected " + n);
        }
        return mails.get(n - 1);
    }

    /** The one-time code in an email-code mail. */
    public static String emailCode(MimeMessage mail) throws Exception {
        String text = plainText(mail);
        Matcher m = CODE_LINE.matcher(text);
        assertTrue(m.find(), "no code in: " + text);
        TestSecrets.record(TestSecrets.Kind.CODE, m.group(1));
        return m.group(1);
    }

    /** The text/plain part of a (multipart) email, transfer encoding undone. */
    public static String plainText(Part part) throws Exception {
        return partOf(part, "text/plain");
    }

    /** The text/html part of a (multipart) email. */
    public static String html(Part part) throws Exception {
        return partOf(part, "text/html");
    }

    private static String partOf(Part part, String mimeType) throws Exception {
        if (part.isMimeType(mimeType)) {
            return (String) part.getContent();
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                String text = partOf(multipart.getBodyPart(i), mimeType);
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }
}

package dev.keyward.emailcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StoredCodeTest {
    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER_KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
        Arrays.fill(OTHER_KEY, (byte) 8);
    }

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String BINDING = StoredCode.binding("realm-1", "user-1", "tab-1");
    private final StoredCode sent = StoredCode.issue("123456", KEY, "kid-1", BINDING, NOW, EmailCodeSettings.DEFAULTS);

    @Test
    void theRightCodeInTimeMatches() {
        assertEquals(StoredCode.Verdict.MATCH, sent.check("123456", KEY, BINDING, NOW.plus(Duration.ofMinutes(9))));
    }

    @Test
    void aWrongCodeUsesAnAttemptAndTheLastAttemptKillsTheCode() {
        StoredCode state = sent;
        for (int i = 0; i < 5; i++) {
            assertEquals(StoredCode.Verdict.MISMATCH, state.check("654321", KEY, BINDING, NOW));
            state = state.afterMismatch();
        }
        assertEquals(0, state.attemptsLeft());
        // dead: even the right code is refused now
        assertEquals(StoredCode.Verdict.EXHAUSTED, state.check("123456", KEY, BINDING, NOW));
    }

    @Test
    void aLateCodeIsExpiredEvenIfRight() {
        assertEquals(StoredCode.Verdict.EXPIRED, sent.check("123456", KEY, BINDING, NOW.plus(Duration.ofMinutes(10))));
    }

    @Test
    void theCodeIsBoundToRealmUserSessionAndKey() {
        assertEquals(
                StoredCode.Verdict.MISMATCH,
                sent.check("123456", KEY, StoredCode.binding("realm-1", "user-2", "tab-1"), NOW));
        assertEquals(
                StoredCode.Verdict.MISMATCH,
                sent.check("123456", KEY, StoredCode.binding("realm-1", "user-1", "tab-2"), NOW));
        assertEquals(
                StoredCode.Verdict.MISMATCH,
                sent.check("123456", KEY, StoredCode.binding("realm-2", "user-1", "tab-1"), NOW));
        assertEquals(StoredCode.Verdict.MISMATCH, sent.check("123456", OTHER_KEY, BINDING, NOW));
        // length prefixes: moving a character between parts is another binding
        assertFalse(StoredCode.binding("ab", "c", "d").equals(StoredCode.binding("a", "bc", "d")));
    }

    @Test
    void theNoteRoundTripsAndHoldsNoCode() {
        String note = sent.toNote();
        assertEquals(sent, StoredCode.fromNote(note));
        assertFalse(note.contains("123456"));
        assertFalse(sent.toString().contains("123456"));
        assertEquals(
                sent.afterMismatch(), StoredCode.fromNote(sent.afterMismatch().toNote()));
    }

    @Test
    void foreignOrDamagedNotesReadAsNoCode() {
        assertNull(StoredCode.fromNote(null));
        assertNull(StoredCode.fromNote(""));
        assertNull(StoredCode.fromNote("v2.a2lk.AAAA.1.5"));
        assertNull(StoredCode.fromNote("v1.a2lk.AAAA.1.5"));
        assertNull(StoredCode.fromNote(sent.toNote() + ".extra"));
        assertNull(StoredCode.fromNote(sent.toNote().replaceFirst("\\.[0-9]+\\.5$", ".soon.5")));
        assertNull(StoredCode.fromNote("v1.%%%." + sent.toNote().split("\\.")[2] + ".1.5"));
    }
}

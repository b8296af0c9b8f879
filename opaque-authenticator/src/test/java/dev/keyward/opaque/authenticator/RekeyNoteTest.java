package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RekeyNoteTest {
    @Test
    void aNoteSurvivesEveryCharacterAndAnIncompleteOneIsNone() {
        RekeyNote note = new RekeyNote("u&1=", "cred-1", "2026.q1", "k_2", "c2VjcmV0LWtleQ", 1_800_000_000_000L);
        assertEquals(note, RekeyNote.parse(note.toNote()));
        assertNull(RekeyNote.parse(null));
        assertNull(RekeyNote.parse("u=x&c=y"), "fields missing");
        assertNull(RekeyNote.parse(note.toNote().replace("d=1800000000000", "d=soon")));
        assertNull(RekeyNote.parse("u=%zz"));
        assertFalse(note.toString().contains("c2VjcmV0LWtleQ"), "the key never in toString");
    }

    @Test
    void aPendingRekeySurvivesEveryCharacterAndAnIncompleteOneIsNone() {
        PendingRekey pending = new PendingRekey("u&1=", "cred-1", "1", "k_2", "cmVjb3Jk", 1_800_000_000_000L);
        assertEquals(
                pending,
                PendingRekey.parse(RekeyNote.encode(java.util.Map.of(
                        "u", "u&1=", "c", "cred-1", "f", "1", "t", "k_2", "r", "cmVjb3Jk", "d", "1800000000000"))));
        assertNull(PendingRekey.parse(null));
        assertNull(PendingRekey.parse("u=x&c=y&f=1&t=2&d=1"), "no record");
        assertNull(PendingRekey.parse("u=x&c=y&f=1&t=2&r=z&d=soon"));
        assertFalse(pending.toString().contains("cmVjb3Jk"), "the record never in toString");
    }

    @Test
    void keyIdsAreLiteralInLikePatterns() {
        assertEquals("k!_2", CredentialsByKeyId.escapeLike("k_2"));
        assertEquals("a!%b!!c\\d", CredentialsByKeyId.escapeLike("a%b!c\\d"));
        assertEquals("2026.q1", CredentialsByKeyId.escapeLike("2026.q1"));
    }
}

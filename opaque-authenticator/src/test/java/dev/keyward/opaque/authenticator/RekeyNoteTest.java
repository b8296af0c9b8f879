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
    void keyIdsAreLiteralInLikePatterns() {
        assertEquals("k!_2", CredentialsByKeyId.escapeLike("k_2"));
        assertEquals("a!%b!!c\\d", CredentialsByKeyId.escapeLike("a%b!c\\d"));
        assertEquals("2026.q1", CredentialsByKeyId.escapeLike("2026.q1"));
    }
}

package dev.keyward.emailcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CodeSubjectTest {
    @Test
    void notesRoundTrip() {
        CodeSubject user = CodeSubject.ofUser("0b0a-42");
        CodeSubject name = CodeSubject.ofName("realm", "Nobody@Example.test");
        assertEquals(user, CodeSubject.fromNote(user.toNote()));
        assertEquals(name, CodeSubject.fromNote(name.toNote()));
        assertNotEquals(user.toNote(), CodeSubject.ofName("realm", "0b0a-42").toNote());
    }

    @Test
    void namesAreHashedCaseInsensitivelyAndPerRealm() {
        CodeSubject name = CodeSubject.ofName("realm", "Nobody@Example.test");
        assertEquals(name, CodeSubject.ofName("realm", "nobody@example.TEST"));
        assertNotEquals(name, CodeSubject.ofName("other", "nobody@example.test"));
        assertFalse(name.toNote().contains("nobody"), "the typed name is kept in clear");
    }

    @Test
    void foreignNotesReadAsNone() {
        for (String note : new String[] {null, "", "u:", "x:abc", "uabc"}) {
            assertNull(CodeSubject.fromNote(note), String.valueOf(note));
        }
    }
}

package dev.keyward.emailcode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AddressMaskTest {
    @Test
    void keepsTheFirstCharacterAndTheDomain() {
        assertEquals("a\u2022\u2022\u2022@example.com", AddressMask.mask("alice@example.com"));
        assertEquals("a\u2022\u2022\u2022@example.com", AddressMask.mask("a@example.com"));
        // a quoted local part may hold "@": the domain is after the last one
        assertEquals("\"\u2022\u2022\u2022@example.com", AddressMask.mask("\"a@b\"@example.com"));
        // one code point, not half a surrogate pair
        assertEquals("\uD83D\uDE00\u2022\u2022\u2022@example.com", AddressMask.mask("\uD83D\uDE00x@example.com"));
    }

    @Test
    void somethingThatIsNoAddressShowsNothing() {
        assertEquals("\u2022\u2022\u2022", AddressMask.mask("no-at-sign"));
        assertEquals("\u2022\u2022\u2022", AddressMask.mask("@example.com"));
    }
}

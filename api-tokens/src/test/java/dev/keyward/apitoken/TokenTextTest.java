package dev.keyward.apitoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenTextTest {

    @Test
    void aNewTokenHasThePrefixAnIdAnd256BitsOfSecret() {
        TokenText t = TokenText.generate();
        assertTrue(t.text().matches("kwt_[A-Za-z0-9_-]{59}"), t.text());
        assertEquals(t.text().substring(4, 20), t.id());
        assertEquals(t, TokenText.parse(t.text()));
        assertNotEquals(t.text(), TokenText.generate().text());
    }

    @Test
    void onlyAToken_sShapeIsLookedUp() {
        String good = TokenText.generate().text();
        assertNull(TokenText.parse(null));
        assertNull(TokenText.parse(""));
        assertNull(TokenText.parse(good.substring(1)));
        assertNull(TokenText.parse(good + "A"));
        assertNull(TokenText.parse("kwx_" + good.substring(4)));
        assertNull(TokenText.parse(good.substring(0, 30) + "+" + good.substring(31)));
        assertNull(TokenText.parse(good.substring(0, 30) + "é" + good.substring(31)));
    }

    @Test
    void itsTextNeverPrintsTheSecret() {
        TokenText t = TokenText.generate();
        assertFalse(t.toString().contains(t.text().substring(20)), t.toString());
        assertTrue(t.toString().startsWith("kwt_" + t.id()));
    }
}

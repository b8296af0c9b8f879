package dev.keyward.emailcode;

import java.util.Locale;

/** The characters a code is drawn from. */
public enum CodeAlphabet {
    /** 0-9: easy to type on a phone's number pad. */
    DIGITS("digits", "0123456789"),
    /**
     * Upper-case letters and digits without the ones people confuse when they copy a code from a
     * mail (0/O, 1/I/L): more entropy per character, so shorter codes for the same strength.
     */
    UPPERCASE_NO_AMBIGUOUS("uppercase-no-ambiguous", "ABCDEFGHJKMNPQRSTUVWXYZ23456789");

    private final String id;
    private final String characters;

    CodeAlphabet(String id, String characters) {
        this.id = id;
        this.characters = characters;
    }

    /** @return the value stored in the execution's configuration */
    public String id() {
        return id;
    }

    /** @return the characters, each once */
    public String characters() {
        return characters;
    }

    /**
     * @param id a configured value
     * @return the alphabet
     * @throws InvalidSettingException if it names none
     */
    public static CodeAlphabet fromId(String id) {
        for (CodeAlphabet a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        throw new InvalidSettingException(EmailCodeSettings.ALPHABET, "must be digits or uppercase-no-ambiguous");
    }

    /**
     * What the user typed, as the code was generated: spaces and dashes (people group what they
     * copy) dropped, letters upper-cased.
     *
     * @param typed the submitted value, may be null
     * @return the normalised value (possibly empty)
     */
    public String normalise(String typed) {
        if (typed == null) {
            return "";
        }
        String compact = typed.replaceAll("[\\s-]", "");
        return this == DIGITS ? compact : compact.toUpperCase(Locale.ROOT);
    }
}

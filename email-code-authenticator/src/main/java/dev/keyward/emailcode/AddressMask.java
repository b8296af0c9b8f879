package dev.keyward.emailcode;

/** How the code page names the address: enough to recognise, not enough to harvest. */
final class AddressMask {
    private AddressMask() {}

    /**
     * @param address an email address
     * @return its first character, a few bullets, and the domain ({@code a•••@example.com}); the
     *         domain is what tells a user which of their mailboxes to open
     */
    static String mask(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return "\u2022\u2022\u2022";
        }
        return address.codePoints()
                        .limit(1)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                + "\u2022\u2022\u2022" + address.substring(at);
    }
}

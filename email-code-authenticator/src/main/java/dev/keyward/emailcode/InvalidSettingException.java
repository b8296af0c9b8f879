package dev.keyward.emailcode;

/** A configured value that breaks its rule; the message names the setting and the rule. */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;

    InvalidSettingException(String setting, String rule) {
        super(setting + " " + rule);
        this.setting = setting;
    }

    /** @return the configuration key at fault */
    public String setting() {
        return setting;
    }
}

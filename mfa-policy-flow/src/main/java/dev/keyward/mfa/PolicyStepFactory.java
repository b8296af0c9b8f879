package dev.keyward.mfa;

/**
 * What the factories of the two-factor policy's steps outside the browser flow share (reset,
 * identity-provider link, post broker login): as {@link PageLessStepFactory}, but with the
 * reference category {@code otp}, so a failure of a method they run counts in the user's primary
 * and second-factor failure counts, as in the browser's second factor.
 */
abstract class PolicyStepFactory extends PageLessStepFactory {
    @Override
    public String getReferenceCategory() {
        return "otp";
    }
}

/**
 * The two-factor policy (issue 5, in progress): which local sign-in methods a user can use, the
 * rule that {@code two_factor_enabled} turns on only with two of them, revocation of older sessions
 * when it does, and the second-factor step that asks for another one than the login's first; for
 * external identity-provider logins, which skip all of that, the first-broker-login check that the
 * provider verified the email address and the post-broker-login step that marks them
 * {@code federated} for the {@code acr} claim.
 */
package dev.keyward.mfa;

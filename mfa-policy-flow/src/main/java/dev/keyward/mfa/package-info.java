/**
 * The two-factor policy (issue 5, in progress): which local sign-in methods a user can use, the
 * rule that {@code two_factor_enabled} turns on only with two of them, revocation of older sessions
 * when it does, and the second-factor step that asks for another one than the login's first.
 */
package dev.keyward.mfa;

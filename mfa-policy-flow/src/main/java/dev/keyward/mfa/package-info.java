/**
 * The two-factor policy (issue 5, in progress): which local sign-in methods a user can use, and
 * the rule that {@code two_factor_enabled} turns on only with two of them.
 */
package dev.keyward.mfa;

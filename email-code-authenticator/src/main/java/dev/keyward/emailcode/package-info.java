/**
 * Email one-time codes as a first or second factor: the {@code keyward-email-code} authenticator
 * and credential type, its settings and limits, and the keyed form a sent code is kept in.
 */
package dev.keyward.emailcode;

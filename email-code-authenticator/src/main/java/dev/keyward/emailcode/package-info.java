/**
 * Email one-time codes as a first or second factor (issue 4). So far the parts that need no
 * Keycloak: settings with their bounds, code generation and the keyed form a sent code is kept
 * in. The authenticator, templates, limits and tests against a real Keycloak follow.
 */
package dev.keyward.emailcode;

/**
 * Keycloak provider for OPAQUE (RFC 9807) password login: the credential type, the login
 * authenticator and the registration required action.
 */
package dev.keyward.opaque.authenticator;

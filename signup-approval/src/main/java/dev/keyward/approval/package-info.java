/**
 * Sign-ups through an external identity provider that wait for an admin's approval: two
 * first-broker-login steps ({@link SignupApprovalAuthenticator}, {@link PendingSignupCheckAuthenticator}),
 * the approvers' notification ({@link ApproverNotice}) and the admin REST resource
 * {@code keyward-approvals} ({@link SignupApprovalResource}).
 */
package dev.keyward.approval;

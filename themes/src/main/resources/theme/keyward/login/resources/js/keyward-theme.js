/*
 * keycloak.v2's page layout names a known user with <label for="username"> but gives the read-only
 * field showing the name the id "kc-attempted-username": the label names nothing, so a screen
 * reader announces an unlabelled field (WCAG 1.3.1, 4.1.2; axe-core's "label" rule). Point the
 * label at the field. A classic script in <head> (how Keycloak loads theme scripts): wait for the body.
 */
document.addEventListener("DOMContentLoaded", () => {
    const field = document.getElementById("kc-attempted-username");
    const label = document.querySelector('label[for="username"]');
    if (field && label && !document.getElementById("username")) {
        label.htmlFor = field.id;
    }
});

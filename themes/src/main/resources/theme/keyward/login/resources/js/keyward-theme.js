/*
 * Two keyboard and screen-reader defects of keycloak.v2's own templates, fixed for every page of
 * this theme. A classic script in <head> (how Keycloak loads theme scripts).
 */

/*
 * The page layout names a known user with <label for="username"> but gives the read-only field
 * showing the name the id "kc-attempted-username": the label names nothing, so a screen reader
 * announces an unlabelled field (WCAG 1.3.1, 4.1.2; axe-core's "label" rule). Point it at the field.
 */
document.addEventListener("DOMContentLoaded", () => {
    const field = document.getElementById("kc-attempted-username");
    const label = document.querySelector('label[for="username"]');
    if (field && label && !document.getElementById("username")) {
        label.htmlFor = field.id;
    }
});

/*
 * "Try another way" lists the methods as <div role="button" tabindex="0"> that only listen for
 * clicks: Tab reaches a method, but Enter and Space do nothing (WCAG 2.1.1). Press it as a button
 * would be pressed.
 */
document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (
        target instanceof HTMLElement &&
        target.tagName !== "BUTTON" &&
        target.getAttribute("role") === "button" &&
        (event.key === "Enter" || event.key === " ") &&
        !event.repeat
    ) {
        event.preventDefault();
        target.click();
    }
});

// The try-it page's set-up: Swagger UI (swagger-ui-dist, served from this folder) on the spec the page
// carries, whose only servers are the local ones, with the local servers' credential filled in.
// A separate file, so the page's Content-Security-Policy can refuse every inline script.
const config = JSON.parse(document.getElementById("try-it-config").textContent);
const ui = window.SwaggerUIBundle({
  spec: config.spec,
  dom_id: "#swagger-ui",
  deepLinking: true,
  tryItOutEnabled: true,
  displayRequestDuration: true,
  persistAuthorization: false,
  // No badge from validator.swagger.io: the page loads nothing from another host.
  validatorUrl: null,
  onComplete: () => {
    for (const [scheme, value] of Object.entries(config.credentials)) ui.preauthorizeApiKey(scheme, value);
  },
});

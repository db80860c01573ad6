// Swagger UI on the gateway's own OpenAPI document: "Authorize" takes a bearer token
// (POST /api/v1/auth/token) or a partner's API key, kept across reloads.
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger",
  deepLinking: true,
  persistAuthorization: true,
  tryItOutEnabled: true,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
});

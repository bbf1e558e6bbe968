// The API docs page (/docs): Swagger UI over this service's OpenAPI document.
window.addEventListener("load", function () {
  var node = document.getElementById("swagger-ui-container");
  window.ui = SwaggerUIBundle({ url: node.dataset.specUrl, dom_id: "#swagger-ui-container" });
});

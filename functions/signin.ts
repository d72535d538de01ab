// Hub's sign-in page (docs/sso.md, "The sign-in page"): where every product's authorization sends a person to sign in.
import { app } from "@azure/functions";
import { httpRoute } from "../shared/http/route";
import { formFields } from "../shared/oauth/form-token";
import { htmlPage, redirects } from "../shared/http/route-doc";
import { showSignIn, submitSignIn } from "../shared/oauth/signin";

app.http(
  "signInPage",
  httpRoute({
    methods: ["GET"],
    route: "signin",
    summary: "Hub sign-in page",
    responses: {
      200: htmlPage("The sign-in page"),
      ...redirects,
      400: htmlPage("A bad request page"),
    },
    auth: "none",
    handler: async ({ request }) => showSignIn(request),
  }),
);

app.http(
  "signInSubmit",
  httpRoute({
    methods: ["POST"],
    route: "signin",
    summary: "Submit the sign-in form",
    responses: {
      200: htmlPage("The next step"),
      ...redirects,
      400: htmlPage("The form again"),
      401: htmlPage("The form again"),
      403: htmlPage("A stale form or an account that cannot sign in (the form again)"),
      429: htmlPage("Busy"),
      503: htmlPage("Busy"),
    },
    auth: "none",
    refuseCrossSite: true,
    body: formFields,
    bodyFormat: "form",
    handler: async ({ request, body, log }) => submitSignIn(request, body ?? {}, log),
  }),
);

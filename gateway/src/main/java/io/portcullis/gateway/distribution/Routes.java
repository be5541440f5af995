package io.portcullis.gateway.distribution;

import static io.portcullis.gateway.auth.RouteAccess.ADMIN;
import static io.portcullis.gateway.auth.RouteAccess.AUTHENTICATED;
import static io.portcullis.gateway.auth.RouteAccess.CATALOG;
import static io.portcullis.gateway.auth.RouteAccess.DELETE;
import static io.portcullis.gateway.auth.RouteAccess.OPEN;
import static io.portcullis.gateway.auth.RouteAccess.PING;
import static io.portcullis.gateway.auth.RouteAccess.READ;
import static io.portcullis.gateway.auth.RouteAccess.WRITE;

import io.javalin.config.RoutesConfig;
import io.portcullis.gateway.auth.TokenHandler;
import io.portcullis.gateway.ext.DecisionsHandler;
import io.portcullis.gateway.ext.EvidenceHandler;
import io.portcullis.gateway.ext.OpaDataApiHandler;
import io.portcullis.gateway.ext.PolicyEvaluateHandler;
import io.portcullis.gateway.gate.AdmissionController;
import io.portcullis.gateway.gate.PolicyBundle;
import io.portcullis.gateway.search.ComponentIndexer;
import io.portcullis.gateway.search.ComponentSearchHandler;
import io.portcullis.storage.Storage;

/**
 * Every route of the registry, in one place. The distribution-spec v1.1 endpoints first
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#endpoints); HEAD is
 * registered explicitly wherever GET is, because Javalin would otherwise answer HEAD itself without
 * running the handler. Each route declares the access it needs ({@link io.portcullis.gateway.auth.RouteAccess}),
 * which the authentication filter checks before the handler runs.
 */
public final class Routes {
  private Routes() {}

  public static void register(RoutesConfig routes, Storage storage, AdmissionController gate, PolicyBundle bundle, TokenHandler token,
      Quotas quotas) {
    BlobHandler blobs = new BlobHandler(storage, gate);
    BlobUploadHandler uploads = new BlobUploadHandler(storage, quotas);
    ManifestHandler manifests = new ManifestHandler(storage, gate, new ComponentIndexer(storage, gate.evidence()));
    TagListHandler tags = new TagListHandler(storage);
    CatalogHandler catalog = new CatalogHandler(storage);
    ReferrersHandler referrers = new ReferrersHandler(storage);

    // end-1: API version check
    routes.get("/v2/", ApiVersion::check, PING);
    routes.head("/v2/", ApiVersion::check, PING);
    // end-2, end-3, end-7, end-9: manifests
    routes.get("/v2/<name>/manifests/{reference}", manifests::get, READ);
    routes.head("/v2/<name>/manifests/{reference}", manifests::get, READ);
    routes.put("/v2/<name>/manifests/{reference}", manifests::put, WRITE);
    routes.delete("/v2/<name>/manifests/{reference}", manifests::delete, DELETE);
    // end-2, end-10: blobs
    routes.get("/v2/<name>/blobs/{digest}", blobs::get, READ);
    routes.head("/v2/<name>/blobs/{digest}", blobs::get, READ);
    routes.delete("/v2/<name>/blobs/{digest}", blobs::delete, DELETE);
    // end-4a, end-4b, end-5, end-6, end-11, end-13: uploads and mounts
    routes.post("/v2/<name>/blobs/uploads", uploads::start, WRITE);
    routes.patch("/v2/<name>/blobs/uploads/{uuid}", uploads::patch, WRITE);
    routes.put("/v2/<name>/blobs/uploads/{uuid}", uploads::complete, WRITE);
    routes.get("/v2/<name>/blobs/uploads/{uuid}", uploads::status, WRITE);
    routes.delete("/v2/<name>/blobs/uploads/{uuid}", uploads::cancel, WRITE);
    // end-8a, end-8b: tags
    routes.get("/v2/<name>/tags/list", tags::list, READ);
    // end-12a, end-12b: referrers
    routes.get("/v2/<name>/referrers/{digest}", referrers::list, READ);
    // catalog (not in the spec's endpoint table, but every registry client knows it)
    routes.get("/v2/_catalog", catalog::list, CATALOG);

    // Extensions under /v2/_portcullis/ (no repository can be named so: names start with [a-z0-9]).
    routes.get("/v2/_portcullis/token", token::issue, OPEN);
    routes.post("/v2/_portcullis/token", token::issue, OPEN);
    DecisionsHandler decisions = new DecisionsHandler(gate);
    PolicyEvaluateHandler evaluate = new PolicyEvaluateHandler(storage, gate);
    EvidenceHandler evidence = new EvidenceHandler(gate);
    OpaDataApiHandler opa = new OpaDataApiHandler(bundle);
    routes.get("/v2/_portcullis/ext/decisions", decisions::list, ADMIN);
    routes.post("/v2/_portcullis/ext/policy/evaluate", evaluate::evaluate, AUTHENTICATED);
    routes.get("/v2/_portcullis/ext/verification/<name>/{digest}", evidence::verification, READ);
    routes.get("/v2/_portcullis/ext/sbom/<name>/{digest}", evidence::sbom, READ);
    routes.get("/v2/_portcullis/ext/search/components", new ComponentSearchHandler(storage)::search, AUTHENTICATED);
    // The embedded engine as OPA's Data API (what a remote-OPA rule set, or any OPA client, calls).
    routes.post("/v1/data/<path>", opa::evaluate, AUTHENTICATED);
  }
}

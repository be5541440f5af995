package io.portcullis.gateway.distribution;

import io.javalin.config.RoutesConfig;
import io.portcullis.storage.Storage;

/**
 * Every route of the registry, in one place. The distribution-spec v1.1 endpoints first
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#endpoints); HEAD is
 * registered explicitly wherever GET is, because Javalin would otherwise answer HEAD itself without
 * running the handler.
 */
public final class Routes {
  private Routes() {}

  public static void register(RoutesConfig routes, Storage storage) {
    BlobHandler blobs = new BlobHandler(storage);
    BlobUploadHandler uploads = new BlobUploadHandler(storage);
    ManifestHandler manifests = new ManifestHandler(storage);
    TagListHandler tags = new TagListHandler(storage);
    CatalogHandler catalog = new CatalogHandler(storage);
    ReferrersHandler referrers = new ReferrersHandler(storage);

    // end-1: API version check
    routes.get("/v2/", ApiVersion::check);
    routes.head("/v2/", ApiVersion::check);
    // end-2, end-3, end-7, end-9: manifests
    routes.get("/v2/<name>/manifests/{reference}", manifests::get);
    routes.head("/v2/<name>/manifests/{reference}", manifests::get);
    routes.put("/v2/<name>/manifests/{reference}", manifests::put);
    routes.delete("/v2/<name>/manifests/{reference}", manifests::delete);
    // end-2, end-10: blobs
    routes.get("/v2/<name>/blobs/{digest}", blobs::get);
    routes.head("/v2/<name>/blobs/{digest}", blobs::get);
    routes.delete("/v2/<name>/blobs/{digest}", blobs::delete);
    // end-4a, end-4b, end-5, end-6, end-11, end-13: uploads and mounts
    routes.post("/v2/<name>/blobs/uploads", uploads::start);
    routes.patch("/v2/<name>/blobs/uploads/{uuid}", uploads::patch);
    routes.put("/v2/<name>/blobs/uploads/{uuid}", uploads::complete);
    routes.get("/v2/<name>/blobs/uploads/{uuid}", uploads::status);
    routes.delete("/v2/<name>/blobs/uploads/{uuid}", uploads::cancel);
    // end-8a, end-8b: tags
    routes.get("/v2/<name>/tags/list", tags::list);
    // end-12a, end-12b: referrers
    routes.get("/v2/<name>/referrers/{digest}", referrers::list);
    // catalog (not in the spec's endpoint table, but every registry client knows it)
    routes.get("/v2/_catalog", catalog::list);
  }
}

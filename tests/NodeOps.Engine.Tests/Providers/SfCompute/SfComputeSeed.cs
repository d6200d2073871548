using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.SfCompute;

/// <summary>
/// The JSON examples of seed 004 (SF Compute <c>PUT /v1/nodes/{id}/redeploy</c>).
/// The request body is read from <c>Seeds/sfcompute-redeploy.request.json</c>. The response is kept
/// here, copied byte for byte from <c>../shared/seeds/004_fae2d593ac984b93.txt</c>, because
/// <c>Seeds/sfcompute-redeploy.response.json</c> currently holds a second copy of the request body
/// (reported; see <see cref="SfComputeSeedTests.Seeds_folder_response_copy_if_fixed_matches_the_seed"/>).
/// </summary>
internal static class SfComputeSeed
{
    public const string RedeployResponse = """
        {
          "object": "node",
          "id": "n_b1dc52505c6db143",
          "name": "cuda-crunch",
          "zone": "hayesvalley",
          "gpu_type": "H100",
          "owner": "sfcompute",
          "status": "running",
          "created_at": 1640995200,
          "updated_at": 1640995200,
          "start_at": 1640995200,
          "end_at": 1641007200,
          "max_price_per_node_hour": 1000,
          "node_type": "autoreserved",
          "procurement_id": "proc_b1dc52505c6de142",
          "vms": {
            "object": "list",
            "data": [
              {
                "object": "vm",
                "id": "vm_oldInstance",
                "status": "destroyed",
                "created_at": 1640995200,
                "updated_at": 1640995200,
                "start_at": 1640995200,
                "end_at": 1641007200,
                "image_id": "vmi_old_id",
                "zone": "hayesvalley"
              },
              {
                "object": "vm",
                "id": "vm_newInstance",
                "status": "running",
                "created_at": 1641003600,
                "updated_at": 1641003600,
                "start_at": 1641003600,
                "end_at": 1641007200,
                "image_id": "vmi_new_id",
                "zone": "hayesvalley"
              }
            ]
          },
          "current_vm": {
            "object": "vm",
            "id": "vm_newInstance",
            "status": "running",
            "created_at": 1641003600,
            "updated_at": 1641003600,
            "start_at": 1641003600,
            "end_at": 1641007200,
            "image_id": "vmi_myOZZXw4pfcp7H9DQOldd",
            "zone": "hayesvalley"
          }
        }
        """;

    public static string RedeployRequest => SeedFiles.Text("sfcompute-redeploy.request.json");

    public static string SeedsFolderResponse => SeedFiles.Text("sfcompute-redeploy.response.json");
}

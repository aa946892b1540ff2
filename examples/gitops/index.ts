// One Fleet per stack; the directory comes from the stack's config (Pulumi.<stack>.yaml).
import * as pulumi from "@pulumi/pulumi";
import * as qoder from "pulumi-qoder";

const fleet = new qoder.Fleet("agents", { dir: new pulumi.Config().get("fleetDir") ?? "qoder" });

export const { agents, skills, vaults } = fleet;

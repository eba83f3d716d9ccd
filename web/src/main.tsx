import "@shopify/polaris/build/esm/styles.css";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { AdminClient } from "./api/admin-client";
import { App } from "./app/app";

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");

createRoot(container).render(
  <StrictMode>
    <App client={new AdminClient()} />
  </StrictMode>,
);

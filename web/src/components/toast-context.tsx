import { Toast } from "@shopify/polaris";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";

interface ToastMessage {
  id: number;
  content: string;
  error: boolean;
}

type ShowToast = (content: string, options?: { error?: boolean }) => void;

const ToastContext = createContext<ShowToast | null>(null);

/** One toast at a time at the bottom of the Frame, like Shopify's admin after a save. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const show = useCallback<ShowToast>((content, options = {}) => {
    setToast({ id: Date.now(), content, error: options.error ?? false });
  }, []);
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      {toast ? <Toast key={toast.id} content={toast.content} error={toast.error} onDismiss={() => setToast(null)} /> : null}
    </ToastContext.Provider>
  );
}

export function useToast(): ShowToast {
  const show = useContext(ToastContext);
  if (!show) throw new Error("useToast needs a ToastProvider");
  return show;
}

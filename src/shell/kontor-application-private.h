/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-application-private.h: what the application's files share. */
#pragma once

#include "kontor-application.h"
#include "kontor-shell-service.h"
#include "kontor-window.h"

G_BEGIN_DECLS

struct _KontorApplication
{
  AdwApplication parent_instance;

  /* Owned */
  GSettings *settings;
  KontorContext *context;
  KontorPluginManager *plugin_manager;
  KontorShellService *shell_service;
  KontorLazyInterface *accounts_interface;
  GObject *accounts_impl; /* the KontorAccountsImpl behind accounts_interface, once loaded */
  GCancellable *cancellable;
  gboolean plugins_loaded;

  /* Borrowed */
  const KontorAccountsUi *accounts_ui; /* static in libkontor-accounts-ui.so, once opened */
  GtkWindow *assistant;
};

/* kontor-application.c */
KontorWindow *kontor_application_ensure_window (KontorApplication *self);

/* kontor-application-accounts.c */
void kontor_application_add_account_actions (KontorApplication *self);
gboolean kontor_application_export_accounts (KontorApplication *self,
                                             GDBusConnection *connection,
                                             const char *object_path,
                                             GError **error);
void kontor_application_unexport_accounts (KontorApplication *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-accounts-ui.h: what the shell calls in libkontor-accounts-ui.so, the
 * accounts' windows and page, which it opens only when the accounts are needed. */
#pragma once

#include <adwaita.h>

#include "kontor-account-service.h"

G_BEGIN_DECLS

/* The shell and the library are built together; this catches a stale library. */
#define KONTOR_ACCOUNTS_UI_VERSION 1

/**
 * KontorAccountsUi:
 * @version: %KONTOR_ACCOUNTS_UI_VERSION
 * @load_accounts_async: kontor_account_service_load_async()
 * @load_accounts_finish: kontor_account_service_load_finish()
 * @accounts_page_new: Preferences ▸ Accounts, an AdwPreferencesPage
 * @assistant_new: the assistant that adds an account; it emits "account-added" (id)
 * @assistant_new_for_account: the assistant that edits the account @account_id, or
 *   %NULL when there is no such account or another program manages it; it emits
 *   "account-changed" (id)
 *
 * The only way into the library: the shell's code links none of it, so that the
 * kontor binary maps neither it nor libkontor-services.so and EDS at start-up.
 */
typedef struct
{
  guint version;
  void (*load_accounts_async) (KontorAccountService *service,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data);
  gboolean (*load_accounts_finish) (KontorAccountService *service,
                                    GAsyncResult *result,
                                    GError **error);
  GtkWidget *(*accounts_page_new) (KontorAccountService *service);
  GtkWindow *(*assistant_new) (KontorAccountService *service);
  GtkWindow *(*assistant_new_for_account) (KontorAccountService *service, const char *account_id);
} KontorAccountsUi;

/* Looked up by name in the library (kontor_library_lookup()). */
const KontorAccountsUi *kontor_accounts_ui_get (void);

G_END_DECLS

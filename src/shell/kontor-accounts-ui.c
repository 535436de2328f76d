/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-accounts-ui.c: the entry point of libkontor-accounts-ui.so, the table
 * through which the shell reaches the account assistant and Preferences ▸ Accounts.
 * The library links libkontor-services.so; its widgets' templates are in its own
 * resource bundle, registered when the library is opened. */
#define G_LOG_DOMAIN "kontor-shell"

#include "config.h"

#include "kontor-accounts-ui.h"
#include "kontor-account-assistant.h"
#include "kontor-accounts-page.h"

static GtkWidget *
accounts_page_new (KontorAccountService *service)
{
  return GTK_WIDGET (kontor_accounts_page_new (service));
}

static GtkWindow *
assistant_new (KontorAccountService *service)
{
  return GTK_WINDOW (kontor_account_assistant_new (service));
}

static GtkWindow *
assistant_new_for_account (KontorAccountService *service, const char *account_id)
{
  KontorAccount *account = kontor_account_service_lookup (service, account_id);

  if (account == NULL || kontor_account_get_read_only (account))
    {
      g_debug ("No account %s to edit", account_id);
      return NULL;
    }
  return GTK_WINDOW (kontor_account_assistant_new_for_account (service, account));
}

const KontorAccountsUi *
kontor_accounts_ui_get (void)
{
  static const KontorAccountsUi table = {
    .version = KONTOR_ACCOUNTS_UI_VERSION,
    .load_accounts_async = kontor_account_service_load_async,
    .load_accounts_finish = kontor_account_service_load_finish,
    .accounts_page_new = accounts_page_new,
    .assistant_new = assistant_new,
    .assistant_new_for_account = assistant_new_for_account,
  };

  return &table;
}

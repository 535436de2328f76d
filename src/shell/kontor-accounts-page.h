/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-accounts-page.h: Preferences ▸ Accounts. */
#pragma once

#include <adwaita.h>

#include "kontor-core.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_ACCOUNTS_PAGE (kontor_accounts_page_get_type ())

G_DECLARE_FINAL_TYPE (KontorAccountsPage,
                      kontor_accounts_page,
                      KONTOR,
                      ACCOUNTS_PAGE,
                      AdwPreferencesPage)

KontorAccountsPage *kontor_accounts_page_new (KontorAccountService *service);
void kontor_accounts_page_set_service (KontorAccountsPage *self, KontorAccountService *service);

G_END_DECLS

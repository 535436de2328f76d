/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-assistant-private.h: what the assistant's files share. */
#pragma once

#include <adwaita.h>

#include "kontor-core.h"
#include "kontor-account-assistant.h"

G_BEGIN_DECLS

struct _KontorAccountAssistant
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkButton *next_button;
  GtkWidget *cancel_button;
  GtkWidget *back_button;
  GtkStack *stack;
  AdwEntryRow *start_email_row;
  AdwPasswordEntryRow *start_password_row;
  AdwEntryRow *start_name_row;
  GtkSwitch *opendesk_switch;
  GtkSpinner *progress_spinner;
  GtkLabel *progress_title;
  GtkLabel *progress_description;
  GtkScrolledWindow *confirm_scroll;
  GtkWidget *error_box;
  GtkLabel *error_label;
  GtkLabel *origin_label;
  AdwEntryRow *email_row;
  AdwActionRow *email_shown_row;
  AdwEntryRow *display_name_row;
  AdwPasswordEntryRow *password_row;
  AdwEntryRow *name_row;
  AdwEntryRow *username_row;
  AdwEntryRow *dav_username_row;
  GtkWidget *imap_group;
  AdwEntryRow *imap_host_row;
  AdwActionRow *imap_port_row;
  GtkSpinButton *imap_port_spin;
  AdwComboRow *imap_security_row;
  GtkWidget *smtp_group;
  AdwEntryRow *smtp_host_row;
  AdwActionRow *smtp_port_row;
  GtkSpinButton *smtp_port_spin;
  AdwComboRow *smtp_security_row;
  AdwExpanderRow *caldav_expander;
  AdwExpanderRow *carddav_expander;
  AdwExpanderRow *webdav_expander;
  AdwEntryRow *caldav_url_row;
  AdwEntryRow *carddav_url_row;
  AdwEntryRow *webdav_url_row;
  AdwExpanderRow *passwords_expander;
  AdwPasswordEntryRow *dav_password_row;
  AdwPasswordEntryRow *files_password_row;

  /* Owned */
  KontorAccountService *service;
  GCancellable *cancellable;
  GPtrArray *marked;  /* rows marked with the last error (borrowed from the template) */
  GError *last_error; /* the failure shown, kept for the certificate question */
  char *trusted_pem;  /* the certificate the user accepted for these servers */
  char *account_id;   /* the account being edited; NULL while adding one */

  KontorSecurity imap_security;
  KontorSecurity smtp_security;
  gboolean busy;
  gboolean filling;
};

/* kontor-account-assistant.c */
void kontor_account_assistant_update_actions (KontorAccountAssistant *self);

/* kontor-account-assistant-form.c: the Confirm Settings step */
char *kontor_account_assistant_dup_field (gpointer editable);
void kontor_account_assistant_fill_form (KontorAccountAssistant *self,
                                         const KontorAccountSettings *settings);
gboolean kontor_account_assistant_form_is_complete (KontorAccountAssistant *self);
GVariant *kontor_account_assistant_build_options (KontorAccountAssistant *self);
GPtrArray *kontor_account_assistant_dup_endpoints (KontorAccountAssistant *self);
void kontor_account_assistant_show_error (KontorAccountAssistant *self, const GError *error);
void kontor_account_assistant_hide_error (KontorAccountAssistant *self);
void kontor_account_assistant_focus_form (KontorAccountAssistant *self);
void kontor_account_assistant_connect_form (KontorAccountAssistant *self);

/* kontor-account-assistant-certificate.c */
GPtrArray *kontor_account_assistant_new_endpoints (void);
void kontor_account_assistant_add_endpoint (GPtrArray *endpoints,
                                            const char *protocol,
                                            const char *host,
                                            guint16 port,
                                            KontorSecurity security);
void kontor_account_assistant_add_url_endpoint (GPtrArray *endpoints, const char *url);
void kontor_account_assistant_fetch_certificate_async (GPtrArray *endpoints,
                                                       const char *reported,
                                                       GCancellable *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer user_data);
GTlsCertificate *kontor_account_assistant_fetch_certificate_finish (GAsyncResult *result,
                                                                    char **out_server,
                                                                    GError **error);
GtkWidget *kontor_account_assistant_new_trust_dialog (GtkWindow *parent,
                                                      GTlsCertificate *certificate,
                                                      const char *server);

G_END_DECLS

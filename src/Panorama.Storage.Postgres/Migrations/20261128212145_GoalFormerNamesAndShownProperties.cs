using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panorama.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class GoalFormerNamesAndShownProperties : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ShownProperties",
                table: "Sites",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FormerNames",
                table: "Goals",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ShownProperties",
                table: "Sites");

            migrationBuilder.DropColumn(
                name: "FormerNames",
                table: "Goals");
        }
    }
}
